from services.db import load_queries

queries = load_queries(__file__)
