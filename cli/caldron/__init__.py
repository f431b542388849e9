"""caldron: infrastructure-as-code and secrets provisioning for CaldronFlex."""

__version__ = "0.1.0"
