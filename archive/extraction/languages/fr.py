"""French."""

from ..text import word_set
from .base import Language, listed

_PARTICIPLES = (
    "déclaré dit souligné affirmé ajouté indiqué estimé expliqué rappelé précisé insisté averti noté assuré "
    "martelé lancé jugé réaffirmé appelé exhorté plaidé poursuivi conclu confié répondu annoncé "
    "observé relevé déploré salué"
)

LANGUAGE = Language(
    code="fr",
    name="Français",
    script="çœÇŒ",
    marker_words=word_set(
        "le la les des du et est une dans pour que qui sur au aux été pas selon il elle ce cette ces par ont son sa"
    ),
    adjectives_follow=True,
    quote_pairs=(("«", "»"), ("“", "”"), ("‹", "›")),
    # The perfect with or without inversion ("a déclaré", "a-t-il ajouté", "ont affirmé"), and the present.
    speech_verbs=(
        rf"(?:a|ont)(?:-t-(?:il|elle)|-(?:ils|elles))?\s+(?:{'|'.join(_PARTICIPLES.split())})",
        *listed(
            """déclare souligne affirme ajoute estime explique indique précise rappelle insiste assure martèle
        déclarait soulignait affirmait ajoutait estimait expliquait indiquait"""
        ),
    ),
    participles=listed("ajoutant affirmant soulignant estimant précisant rappelant"),
    source_of_previous=(
        r"cette\s+(?:\w+\s+)?déclaration\s+a\s+été\s+faite\s+par",
        r"c[’']est\s+ce\s+qu[’']a\s+(?:déclaré|affirmé|indiqué)",
    ),
    clause_enders=("d’où", "d'où"),
    complementisers=("que", "qu'", "qu’"),
    according_to=("selon", "d'après", "d’après", "pour"),
    articles=word_set("le la les l' l’"),
    pronouns={"il": "m", "elle": "f"},
    honorifics={"m": "m", "mme": "f", "mlle": "f"},
    title_words=word_set(
        """ministre président présidente secrétaire général générale ambassadeur ambassadrice porte-parole
        directeur directrice représentant représentante commissaire chef cheffe envoyé envoyée chancelier
        chancelière vice-président vice-présidente adjoint adjointe haut haute premier première"""
    ),
    title_heads=(
        "secrétaire général",
        "ministre",
        "président",
        "présidente",
        "ambassadeur",
        "ambassadrice",
        "porte-parole",
        "directeur",
        "directrice",
        "représentant",
        "représentante",
        "commissaire",
        "chef de la diplomatie",
        "diplomate",
        "responsable",
        "envoyé",
        "envoyée",
    ),  # fmt: skip
    generic_heads=word_set("responsable diplomate représentant représentante"),
    connectors=word_set("de des du la le l' d' aux et pour à en au"),
    not_name_words=word_set(
        """Le La Les Un Une Des Du De Dans Pour Selon Lors Après Avant Depuis Pendant Mais Et Il Elle Ils Ce Cette
        Ces Son Sa Ses Leur Nous Sur Par Avec Sans Entre Vers Comme Quant Ministre Président Présidente Secrétaire
        Affaires Étrangères Nations Unies Organisation Conseil Union Commission Assemblée Sommet"""
    ),
    lowercase_name_words=word_set("unies"),
    document_links=word_set("de des du sur contre pour relative relatif visant"),
    document_kinds={
        "convention": "convention",
        "traité": "treaty",
        "charte": "charter",
        "stratégie": "strategy",
        "résolution": "resolution",
        "déclaration": "declaration",
        "accord": "agreement",
        "accords": "agreement",
        "pacte": "treaty",
        "protocole": "other",
    },  # fmt: skip
)
