"""Word lists shared by the recognisers: speech verbs of English, Russian and German."""

# "pointed out", "put it" and "по словам" are phrases; German "fügte ... hinzu" is found by "fügte".
SPEECH_VERBS = (
    r"said|says|added|adds|noted|notes|stressed|stresses|emphasi[sz]ed|emphasi[sz]es|underlined|"
    r"underscored|stated|states|told|tells|declared|remarked|pointed out|explained|recalled|warned|"
    r"described|urged|called|affirmed|observed|continued|concluded|commented|insisted|highlighted|"
    r"acknowledged|announced|believes|believed|argued|asked|replied|answered|reiterated|confirmed|"
    r"assured|wrote|admitted|cautioned|maintained|reminded|expressed|voiced|quoted|put it|saying|"
    r"sagte|sagt|erklärte|erklärt|betonte|betont|fügte|meinte|bekräftigte|unterstrich|"
    r"сказал|сказала|заявил|заявила|отметил|отметила|подчеркнул|подчеркнула|добавил|добавила|"
    r"сообщил|сообщила|пояснил|пояснила|считает"
)
