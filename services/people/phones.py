from __future__ import annotations

import phonenumbers


class BadPhone(ValueError):
    pass


def normalise_phone(raw: str, region: str) -> str:
    """E.164 from what a person typed; local numbers are read in the organisation's country."""
    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        raise BadPhone("not a phone number") from None
    if not phonenumbers.is_valid_number(number):
        raise BadPhone(f"not a valid phone number in {region} or in international form (+..)")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
