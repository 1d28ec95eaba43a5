"""Function words of the languages propscope labels: a highlight never consists of one alone.

Written for propscope (articles, pronouns, prepositions, conjunctions, auxiliaries, common
particles and adverbs that carry no persuasion by themselves). One set per language and their
union: a token is weak when it is one of these in any language, or punctuation.
"""

from __future__ import annotations

import numpy as np


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


FUNCTION_WORDS: dict[str, frozenset[str]] = {
    "en": _words(
        """a an the and or but nor so yet if then than that this these those there here of to in on
        at by for from with without into onto over under about after before between through
        during against among as is are was were be been being am do does did have has had having
        will would shall should can could may might must not no it its he she they we you i me
        him her them us my your his their our who whom whose which what when where why how all
        any each every some such more most very also just only even still again too out up down
        off once both either neither own same other another"""
    ),
    "fr": _words(
        """le la les l un une des du de d à au aux en dans par pour sur sous avec sans chez entre
        vers et ou mais donc or ni car que qu qui quoi dont où ce cet cette ces c se s ne n pas
        plus moins très aussi encore déjà il elle ils elles on nous vous je j me m te t lui leur
        leurs son sa ses mon ma mes ton ta tes notre nos votre vos y est sont était été être
        avoir a ont avait sera lorsque lorsqu quand comme si puis tout tous toute toutes même
        mêmes aucun aucune"""
    ),
    "de": _words(
        """der die das den dem des ein eine einer eines einem einen und oder aber doch sondern denn
        dass daß ob wenn als wie weil da zu zum zur im in am an auf aus bei mit nach von vor für
        über unter um durch gegen ohne bis seit ist sind war waren sein gewesen hat haben hatte
        wird werden wurde wurden kann können muss müssen soll sollen nicht kein keine es er sie
        wir ihr ich du man sich sein seine ihre ihren unser auch noch schon nur sehr so dies
        diese dieser dieses jene alle jeder jede"""
    ),
    "it": _words(
        """il lo la i gli le l un uno una un di a da in con su per tra fra del dello della dei
        degli delle al allo alla ai agli alle dal dalla dai nel nella nei negli nelle sul sulla
        sui e ed o ma però che chi cui non né se si ci vi ne è sono era erano essere stato stata
        ha hanno aveva avere questo questa questi queste quello quella come quando anche ancora
        già più meno molto tutto tutti tutta tutte suo sua suoi loro noi voi io tu lui lei egli"""
    ),
    "es": _words(
        """el la los las lo un una unos unas de del a al en con por para sin sobre entre hacia
        hasta desde y e o u pero sino que quien cual cuyo no ni si se su sus mi mis tu tus es
        son era eran ser estar está están ha han había haber este esta estos estas ese esa esos
        esas como cuando donde muy más menos también ya aún todo todos toda todas él ella ellos
        ellas nosotros vosotros yo le les me te nos"""
    ),
    "pl": _words(
        """i a o u w we z ze na do od po za przez przy pod nad dla bez oraz albo lub ale czy że
        żeby aby bo jak jako gdy kiedy jeśli nie to ten ta te tego tej tym tych jest są był była
        było byli być ma mają miał on ona ono oni one my wy ja ty się jego jej ich nas was mu go
        już jeszcze tylko także też bardzo więc który która które którzy co"""
    ),
    "ru": _words(
        """и а но или да в во на с со к ко по о об от до из за для без под над при через у не ни же
        ли бы что чтобы как когда если то это этот эта эти тот та те он она оно они мы вы я ты
        его её ее их ему ей им был была было были быть есть будет уже ещё еще только также тоже
        очень который которая которые все всё весь вся свой своя свои себя так"""
    ),
}
ALL_FUNCTION_WORDS: frozenset[str] = frozenset().union(*FUNCTION_WORDS.values())


def is_weak(token: str) -> bool:
    """A function word (in any language above) or a punctuation mark."""
    return not any(ch.isalnum() for ch in token) or token.lower() in ALL_FUNCTION_WORDS


def weak_tokens(text: str, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """Boolean array: which tokens ``text[start:end]`` are weak."""
    return np.array(
        [is_weak(text[s:e]) for s, e in zip(starts.tolist(), ends.tolist(), strict=True)],
        dtype=bool,
    )
