"""Money flows (who pays whom, how much, how often, for what, per whom) and group strength
(how many fighters, per whose estimate, when), linked from the other extractors' facts."""

from threatscape.extract.money.lexicon import MoneyLexicon, load_money_lexicon
from threatscape.extract.money.linker import flag_sanctioned, link_money

__all__ = ["MoneyLexicon", "flag_sanctioned", "link_money", "load_money_lexicon"]
