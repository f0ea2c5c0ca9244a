"""Wire contracts: msgspec Structs for HTTP bodies, job arguments and webhook forms."""
