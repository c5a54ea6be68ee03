"""The one exception the rules raise for bad input."""


class RuleInputError(ValueError):
    """Input a rule cannot work with.

    ``message`` is Chinese text a person can act on; ``field`` names the offending input field as the caller
    spelt it (for items in a list: ``substances[2].quantity_t``), so forms, the API and the CLI can point at it.
    """

    def __init__(self, message: str, field: str):
        super().__init__(message, field)
        self.message = message
        self.field = field

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"
