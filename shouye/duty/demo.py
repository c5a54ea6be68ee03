"""The duty area in the demo district: placeholder replaced below."""


def load_duty(context):
    return {}
