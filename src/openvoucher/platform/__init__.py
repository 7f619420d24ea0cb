"""Platform: projects, keys and users, OAuth, async actions and bulk jobs, exports, the bin, dev
clock, branding, client-side settings, fixtures and reset.
"""
