"""Catalog: campaigns, vouchers and codes, categories, products/SKUs/collections, validation rules,
metadata schemas, locations, publications and voucher imports (use cases at this level).
"""
