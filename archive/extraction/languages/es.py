"""Spanish."""

from ..text import word_set
from .base import Language, listed

LANGUAGE = Language(
    code="es",
    name="Español",
    script="ñ¿¡Ñ",
    marker_words=word_set(
        "el la los las del y es una en por que con para se al según como este esta su sus ha han fue"
    ),
    adjectives_follow=True,
    pro_drop=True,
    quote_pairs=(("«", "»"), ("“", "”"), ("‘", "’")),
    speech_verbs=(
        *listed(
            """afirmó dijo declaró señaló subrayó aseguró añadió agregó destacó indicó explicó advirtió manifestó
        expresó sostuvo recordó insistió apuntó precisó comentó reiteró enfatizó remarcó respondió anunció
        concluyó exhortó instó afirma dice declara señala subraya asegura añade agrega destaca indica explica
        advierte sostiene consideró considera valoró confió alabó elogió calificó lamentó celebró pidió
        reconoció aseveró puntualizó insistió defendió denunció recalcó opinó estimó"""
        ),
        r"ha\s+(?:dicho|afirmado|declarado|señalado|subrayado|asegurado|añadido|destacado|indicado|explicado)",
    ),
    bare_clause_verbs=word_set("dijo afirmó declaró"),
    participles=listed("añadiendo asegurando recalcando subrayando señalando agregando destacando"),
    source_of_previous=(r"así\s+lo\s+(?:dijo|afirmó|declaró|aseguró)",),
    complementisers=("que",),
    according_to=("según", "de acuerdo con", "en palabras de"),
    articles=word_set("el la los las"),
    pronouns={"él": "m", "ella": "f"},
    honorifics={"sr": "m", "sra": "f", "don": "m", "doña": "f"},
    title_words=word_set(
        """secretario secretaria general ministro ministra presidente presidenta canciller embajador embajadora
        portavoz director directora representante comisario comisaria jefe jefa alto alta enviado enviada
        vicepresidente vicepresidenta adjunto adjunta alterno alterna permanente vicecanciller"""
    ),
    title_heads=(
        "secretario general",
        "secretaria general",
        "ministro",
        "ministra",
        "presidente",
        "presidenta",
        "canciller",
        "embajador",
        "embajadora",
        "portavoz",
        "director",
        "directora",
        "representante",
        "comisario",
        "comisaria",
        "enviado",
        "enviada",
        "diplomático",
        "funcionario",
    ),  # fmt: skip
    generic_heads=word_set("diplomático funcionario representante"),
    connectors=word_set("de del la las los y para en a al"),
    not_name_words=word_set(
        """El La Los Las Un Una Del De En Con Por Para Según Tras Durante Pero Y Este Esta Estos Su Sus Nuestro Al
        Sobre Entre Desde Como Ministro Ministra Presidente Presidenta Secretario Exteriores Relaciones Naciones
        Unidas Organización Consejo Unión Comisión Asamblea Cumbre"""
    ),
    lowercase_name_words=word_set("unidas"),
    document_links=word_set("de del sobre contra para relativa relativo"),
    document_kinds={
        "convenio": "convention",
        "convención": "convention",
        "carta": "charter",
        "declaración": "declaration",
        "tratado": "treaty",
        "estrategia": "strategy",
        "resolución": "resolution",
        "acuerdo": "agreement",
        "pacto": "treaty",
        "protocolo": "other",
    },  # fmt: skip
)
