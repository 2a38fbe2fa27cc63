"""Word lists shared by the recognisers: speech verbs of every language held, country and given names."""

from . import languages
from .text import word_set

# Speech verbs of every language held (see languages/): SPEECH_VERBS is the alternation of those written as
# whole words, for patterns that add their own word boundaries; SPEECH_VERB_PATTERN matches any of them,
# Chinese ones included, with its boundaries built in.
SPEECH_VERBS = "|".join(
    sorted({verb for language in languages.ALL if language.spaced for verb in language.speech_verbs}, key=len)[::-1]
)
SPEECH_VERB_PATTERN = languages.word_pattern("speech_verbs")

# Countries and territories as they stand right before a name in long titles ("Minister of Foreign Affairs
# of the Republic of Kazakhstan Murat Nurtleu", "Министр иностранных дел России Сергей Лавров"): a leading
# word of a name run found here belongs to the title, not to the name. English names (one word each of
# the multi-word ones) and the Russian genitive and nominative forms of the region's countries.
COUNTRY_WORDS = word_set(
    """Afghanistan Albania Algeria Andorra Angola Argentina Armenia Australia Austria Azerbaijan Bahamas
    Bahrain Bangladesh Barbados Belarus Belgium Belize Benin Bhutan Bolivia Bosnia Herzegovina Botswana
    Brazil Brunei Bulgaria Burkina Faso Burundi Cabo Verde Cambodia Cameroon Canada Chad Chile China
    Colombia Comoros Congo Croatia Cuba Cyprus Czechia Denmark Djibouti Dominica Ecuador Egypt Salvador
    Eritrea Estonia Eswatini Ethiopia Fiji Finland France Gabon Gambia Georgia Germany Ghana Greece
    Grenada Guatemala Guinea Guinea-Bissau Guyana Haiti Honduras Hungary Iceland India Indonesia Iran Iraq
    Ireland Israel Italy Jamaica Japan Jordan Kazakhstan Kenya Kiribati Korea Kosovo Kuwait Kyrgyzstan
    Laos Latvia Lebanon Lesotho Liberia Libya Liechtenstein Lithuania Luxembourg Madagascar Malawi
    Malaysia Maldives Mali Malta Mauritania Mauritius Mexico Micronesia Moldova Monaco Mongolia
    Montenegro Morocco Mozambique Myanmar Namibia Nauru Nepal Netherlands Nicaragua Niger Nigeria
    Macedonia Norway Oman Pakistan Palau Palestine Panama Paraguay Peru Philippines Poland Portugal
    Qatar Romania Russia Rwanda Samoa Marino Arabia Senegal Serbia Seychelles Sierra Leone Singapore
    Slovakia Slovenia Somalia Spain Lanka Sudan Suriname Sweden Switzerland Syria Tajikistan Tanzania
    Thailand Timor-Leste Togo Tonga Trinidad Tobago Tunisia Türkiye Turkey Turkmenistan Tuvalu Uganda
    Ukraine Emirates Britain Uruguay Uzbekistan Vanuatu Venezuela Viet Vietnam Yemen Zambia Zimbabwe
    Europe Asia Africa America Eurasia Caucasus Balkans Sahel Darfur Gaza Kosovo Crimea Donbas
    Россия России Россией Казахстан Казахстана Китай Китая КНР Беларусь Беларуси Белоруссия Белоруссии
    Узбекистан Узбекистана Киргизия Киргизии Кыргызстан Кыргызстана Таджикистан Таджикистана
    Туркмения Туркмении Туркменистан Туркменистана Индия Индии Пакистан Пакистана Иран Ирана Монголия
    Монголии Азербайджан Азербайджана Армения Армении Грузия Грузии Молдавия Молдавии Молдова Молдовы
    Украина Украины Турция Турции Германия Германии Франция Франции Италия Италии Япония Японии
    Египет Египта Сирия Сирии Афганистан Афганистана Вьетнам Вьетнама Индонезия Индонезии
    Deutschland Frankreich Russland Polen Österreich Schweiz Italien Spanien Ukraine Türkei"""
)

# Given names that show a person's gender, for "he"/"she" to tell two speakers apart when no honorific
# or gendered title does (common names of office-holders in the organisations covered; not exhaustive).
FEMALE_GIVEN_NAMES = word_set(
    """Ana Anna Annalena Amina Angela Alicia Alison Allison Amal Amy Andrea Ann Anne Antonia Barbara Beatriz
    Bineta Carla Carmen Catherine Cecilia Charlotte Christine Cindy Claudia Clementine Cristina Dilma Dina
    Dorothy Elena Eliza Elina Elisabeth Elizabeth Ellen Emily Emma Eva Federica Florence Gabriela Ghada
    Giorgia Grace Hanna Hannah Helen Helga Helle Hillary Ilze Inger Ingrid Irina Isabel Isabelle Jacinda
    Jane Janet Jennifer Joanna Josephine Joyce Judith Julia Julie Kaja Kamala Karin Karen Katalin Katarina
    Katherine Kathleen Kristalina Laura Leila Lena Linda Liz Louise Lucia Madeleine Magdalena Maia Margaret
    Margrethe Maria Marie Marina Marta Martha Mary Melissa Mette Michelle Mia Mira Monica Nadia Najat Nancy
    Natalia Nathalie Ngozi Nicola Nikki Olena Olga Paula Petra Rachel Rebecca Rosemary Roberta Ruth Sahle-Work
    Samantha Sandra Sanna Sara Sarah Shirley Silvia Simone Sima Sophie Susan Svetlana Tatiana
    Teresa Theresa Ursula Valentina Valerie Vera Victoria Viktoria Virginia Yulia Zainab Zuzana
    Анна Мария Валентина Ирина Ольга Елена Татьяна Наталья Светлана Юлия Екатерина Вероника"""
)
MALE_GIVEN_NAMES = word_set(
    """Abdullah Abiy Ahmed Alain Alexander Alexei Alexey Ali Amir Andrei Andrey Andrzej Antonio António
    Antony Anthony Bola Boris Charles Christophe Christopher Cyril Daniel David Dmitry Donald Edi Emmanuel
    Evgeny Farhod Feridun Filippo Francisco Frank Friedrich Gianni Guy Hakan Harold Heiko Henrik
    Ian Igor Ilham Imangali Ivan Jake James Javier Jean Jean-Pierre Jens Joe John Johann Jonas Jose José
    Joseph Josep Keir Kassym-Jomart Kofi Lars Luiz Mahmoud Marco Mark Martin Matteo Maxim Michael
    Michel Mikhail Mohammed Moussa Murat Narendra Nikol Nicolas Nurlan Olaf Olivier Omar Pedro Peter Petteri
    Philemon Rafael Rashid Recep Ramzan Richard Robert Rustam Sadyr Sergei Sergey Shavkat Simon Stéphane Tom
    Viktor Vladimir Volker Volodymyr Yoshimasa Yuri Алексей Александр Андрей Борис
    Владимир Дмитрий Евгений Игорь Иван Михаил Нурлан Олег Павел Сергей Юрий"""
)
