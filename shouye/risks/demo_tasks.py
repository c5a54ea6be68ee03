def load_risk_tasks(context):
    return {}
