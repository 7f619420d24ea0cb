"""Webhooks, one package: endpoints, distributions, fan-out, relay, dispatcher, signing, retry,
transport, sendout log and inspection.
"""
