"""E-Port Chain: tools for the port alliance's Clique network, contracts and operators."""

__version__ = "0.1.0"
