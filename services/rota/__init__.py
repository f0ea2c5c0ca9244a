"""Filling rota gaps: which shifts lack people, and who could fill them, ranked fairly."""
