"""Qualification types of an organisation and the dated qualifications people hold."""
