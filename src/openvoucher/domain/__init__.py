"""Pure domain: aggregates, rules and events. No I/O, no wall clock."""
