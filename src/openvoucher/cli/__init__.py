"""The ``openvoucher`` command line: thin over the services."""
