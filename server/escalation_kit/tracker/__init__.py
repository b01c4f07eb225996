"""The stateful escalation tracker (reserved): the only package that keeps state.

It sits above the pure core and uses it; nothing in the core imports it.
"""
