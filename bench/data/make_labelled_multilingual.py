"""Write `labelled_multilingual.jsonl`, the set `bench/gazetteer_multilingual.py` scores.

    python bench/data/make_labelled_multilingual.py

Issue 16's multilingual labelled set: short news-style texts (datelines, headlines, leads),
written by hand in each of the 20 languages of the issue, at least 25 per language, with
the traps (North Korea is never South Korea, words that only look like a country, texts
with no entity). Each line is {"id", "text", "labels", "category", "source", "language"}
and, for Chinese, "script" ("Hans" simplified or "Hant" traditional). `labels` follows the
English set's conventions (`make_labelled_news.py`); the rules added for other languages,
and what each category tests, are in `labelled_multilingual.md`.

The texts are invented, written as a wire service of that language would write them, with
the inflected forms its grammar needs (German genitive, Slavic cases, Korean particles,
Arabic and Hebrew prefixes, Turkish suffixes after an apostrophe ...). They were not
written from the gazetteer's aliases, so the benchmark shows what the gazetteer misses.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from monitor.gazetteer import LANGUAGES

OUT = Path(__file__).resolve().parent / "labelled_multilingual.jsonl"

# Canonical names of the organisations (monitor/gazetteer/data/organisations.json).
NATO = "NATO"
EU = "European Union"
EC = "European Commission"
EP = "European Parliament"
UN = "United Nations"
UNSC = "United Nations Security Council"
UNGA = "United Nations General Assembly"
UNSG = "UN Secretary-General"
UNHCR = "UNHCR"
UNICEF = "UNICEF"
WHO = "World Health Organization"
IMF = "International Monetary Fund"
WB = "World Bank"
WTO = "World Trade Organization"
OPEC = "OPEC"
ASEAN = "ASEAN"
G7 = "G7"
G20 = "G20"
IAEA = "International Atomic Energy Agency"
ECB = "European Central Bank"
ICC = "International Criminal Court"
ICRC = "International Committee of the Red Cross"
ARAB_LEAGUE = "Arab League"
SCO = "Shanghai Cooperation Organisation"
BRICS = "BRICS"
MERCOSUR = "Mercosur"
AU = "African Union"
CSTO = "Collective Security Treaty Organization"
OSCE = "OSCE"
GCC = "Gulf Cooperation Council"
USSR = "Soviet Union"

# Categories (what a text tests; see labelled_multilingual.md):
DATELINE = "dateline"  # a dateline and lead, the country named in the text
HEADLINE = "headline"  # headline style: no articles, abbreviations, compressed
INFLECTION = "inflection"  # cases, genitives, particles, prefixes, suffixes
DEMONYM = "demonym"  # adjectives and peoples
ORG = "organisation"  # organisations in their local names and abbreviations
NORTH_KOREA = "north-korea"  # North Korea: KP, never KR
TWO_KOREAS = "two-koreas"  # both Koreas in one text
WORD_TRAP = "word-trap"  # a word that looks like a country or organisation and is not
NO_ENTITY = "no-entity"  # nothing to find

Case = tuple[str, list[str], str]
"""(category, labels, text)"""

TEXTS: dict[str, list[Case]] = {}

TEXTS["en"] = [
    (
        DATELINE,
        ["KP", "KR"],
        "SEOUL, March 4 (Reuters) - North Korea fired a ballistic missile off its east "
        "coast on Tuesday, South Korea's Joint Chiefs of Staff said.",
    ),
    (
        NORTH_KOREA,
        ["KP"],
        "North Korean leader Kim Jong Un oversaw a test of a new cruise missile.",
    ),
    (
        NORTH_KOREA,
        ["KP", "RU"],
        "Thousands of North Korean troops have been deployed to fight alongside Russia, "
        "according to Western intelligence officials.",
    ),
    (
        INFLECTION,
        ["KR"],
        "South Korea's exports rose for a third month in May on strong chip sales.",
    ),
    (
        TWO_KOREAS,
        ["KP", "KR"],
        "North and South Korea remain technically at war because the 1950-53 conflict ended "
        "in an armistice, not a peace treaty.",
    ),
    (
        DATELINE,
        ["RU", "UA"],
        "KYIV (AP) — Russia launched more than 100 drones at Ukraine overnight, the "
        "Ukrainian air force said on Sunday.",
    ),
    (
        HEADLINE,
        ["CN", "US"],
        "China hits back at U.S. chip curbs with export controls on rare metals",
    ),
    (
        ORG,
        [NATO, "DE"],
        "NATO defence ministers praised Germany for raising military spending above the "
        "alliance's target.",
    ),
    (
        ORG,
        [EU, EC, "CN"],
        "The European Commission opened an anti-subsidy investigation into Chinese "
        "wind turbine makers, the EU's executive said.",
    ),
    (
        ORG,
        [UN, UNSC, "IL", "LB"],
        "The U.N. Security Council held an emergency meeting on Israeli strikes in Lebanon.",
    ),
    (ORG, [WHO, "IN"], "The World Health Organization praised India for containing the outbreak."),
    (
        ORG,
        [IMF, WB, "PK"],
        "Pakistan won fresh support from the IMF and the World Bank after passing a budget "
        "with higher taxes.",
    ),
    (
        ORG,
        [WTO, "JP", "KR"],
        "Japan filed a complaint at the WTO over South Korean steel subsidies.",
    ),
    (
        ORG,
        [OPEC, "SA"],
        "OPEC+ led by Saudi Arabia agreed to extend output cuts until the end of the year.",
    ),
    (
        ORG,
        [ASEAN, "VN", "PH"],
        "ASEAN foreign ministers urged restraint after Philippine and Vietnamese vessels "
        "were rammed in disputed waters.",
    ),
    (
        ORG,
        [G7, "RU", "UA"],
        "G7 leaders agreed to use frozen Russian assets to back a $50 billion loan for Ukraine.",
    ),
    (HEADLINE, [G20, "BR", "ZA"], "Brazil hands G20 presidency to South Africa"),
    (
        INFLECTION,
        ["IR", "IL"],
        "Iran's foreign minister warned Israel of a 'decisive response' to any attack.",
    ),
    (DEMONYM, ["JP"], "Japanese carmakers reported a second straight monthly fall in home sales."),
    (
        DATELINE,
        ["GB"],
        "LONDON (Reuters) - Britain's economy grew 0.3% in the second quarter, the Office "
        "for National Statistics said.",
    ),
    (
        INFLECTION,
        ["TR", "SY"],
        "Turkey's military said it struck Kurdish militant targets in northern Syria.",
    ),
    (
        WORD_TRAP,
        [],
        "Turkey prices are up 12% ahead of Thanksgiving as bird flu thins flocks.",
    ),
    (
        WORD_TRAP,
        [],
        "A set of fine bone china plates sold for £4,000 at auction on Saturday.",
    ),
    (
        WORD_TRAP,
        [],
        "Michael Jordan's 1998 championship sneakers fetched a record price at auction.",
    ),
    (
        NO_ENTITY,
        [],
        "Mortgage rates edged lower this week, several lenders said, easing pressure on "
        "first-time buyers.",
    ),
    (NO_ENTITY, [], "The defending champions lost the semi-final on penalties after extra time."),
    (HEADLINE, ["IN", "PK"], "India, Pakistan agree ceasefire after border clashes"),
    (
        DEMONYM,
        ["BR", "AR", MERCOSUR],
        "Brazilian and Argentine negotiators said the Mercosur trade deal was close.",
    ),
]

TEXTS["de"] = [
    (
        DATELINE,
        ["KP", "KR"],
        "SEOUL (dpa) - Nordkorea hat nach Angaben des südkoreanischen Militärs zwei "
        "ballistische Raketen ins Meer gefeuert.",
    ),
    (
        NORTH_KOREA,
        ["KP"],
        "Nordkoreas Machthaber Kim Jong Un hat nach Berichten der Staatsmedien eine "
        "Munitionsfabrik besichtigt.",
    ),
    (
        NORTH_KOREA,
        ["KP", "RU"],
        "Nordkoreanische Soldaten kämpfen nach Erkenntnissen westlicher Geheimdienste an der "
        "Seite Russlands.",
    ),
    (
        INFLECTION,
        ["KR"],
        "Südkoreas Exporte sind im Mai den dritten Monat in Folge gestiegen, getrieben von der "
        "Nachfrage nach Speicherchips.",
    ),
    (
        TWO_KOREAS,
        ["KP", "KR"],
        "Nord- und Südkorea befinden sich seit dem Waffenstillstand von 1953 formal noch im "
        "Kriegszustand.",
    ),
    (
        DATELINE,
        ["RU", "UA"],
        "KIEW (Reuters) - Russland hat die Ukraine in der Nacht mit mehr als hundert Drohnen "
        "angegriffen, teilte die ukrainische Luftwaffe mit.",
    ),
    (
        HEADLINE,
        ["CN", "US"],
        "Handelsstreit: China kündigt Vergeltungszölle auf US-Agrarprodukte an",
    ),
    (
        ORG,
        [NATO, "DE", "RU"],
        "Die Nato-Verteidigungsminister haben Deutschland für seine höheren Militärausgaben "
        "gelobt und zugleich vor der Bedrohung durch Russland gewarnt.",
    ),
    (
        ORG,
        [EU, EC, "CN"],
        "Die EU-Kommission hat eine Untersuchung gegen chinesische Hersteller von "
        "Elektroautos eingeleitet.",
    ),
    (
        ORG,
        [UN, UNSC, "IL", "LB"],
        "Der UN-Sicherheitsrat hat sich in einer Dringlichkeitssitzung mit den israelischen "
        "Luftangriffen im Libanon befasst.",
    ),
    (
        ORG,
        [WHO, "IN"],
        "Die Weltgesundheitsorganisation (WHO) hat Indien für die rasche Eindämmung des "
        "Ausbruchs gelobt.",
    ),
    (
        ORG,
        [IMF, WB, "AR"],
        "Der Internationale Währungsfonds und die Weltbank haben Argentinien neue Kredite in "
        "Milliardenhöhe zugesagt.",
    ),
    (
        ORG,
        [WTO, "JP", "CN"],
        "Japan hat bei der Welthandelsorganisation Beschwerde gegen chinesische "
        "Exportbeschränkungen eingelegt.",
    ),
    (
        INFLECTION,
        [OPEC, "SA"],
        "Das Ölkartell Opec+ unter Führung Saudi-Arabiens will die Förderung im Sommer weiter "
        "drosseln.",
    ),
    (
        ORG,
        [G7, "RU", "UA"],
        "Die G7-Staaten wollen eingefrorenes russisches Vermögen für einen Kredit an die "
        "Ukraine nutzen.",
    ),
    (ORG, [G20, "BR", "ZA"], "Brasilien hat den Vorsitz der G20 an Südafrika übergeben."),
    (
        INFLECTION,
        ["IR", "IL"],
        "Irans Außenminister hat Israel für den Fall eines Angriffs mit einer "
        "entschlossenen Antwort gedroht.",
    ),
    (
        DEMONYM,
        ["JP"],
        "Japanische Autobauer melden den zweiten Monat in Folge einen deutlichen "
        "Absatzrückgang im Inland.",
    ),
    (
        DATELINE,
        ["GB"],
        "LONDON (dpa) - Großbritannien will die Zuwanderung deutlich begrenzen, kündigte der "
        "britische Premierminister an.",
    ),
    (
        INFLECTION,
        ["TR", "SY"],
        "Die Türkei hat nach eigenen Angaben Stellungen kurdischer Milizen in Nordsyrien "
        "angegriffen.",
    ),
    (
        WORD_TRAP,
        ["US"],
        "Auf Long Island im US-Bundesstaat New York haben heftige Regenfälle Hunderte Keller "
        "überflutet.",
    ),
    (
        WORD_TRAP,
        [],
        "Die Basketballschuhe, die Michael Jordan im Finale 1998 trug, sind für einen "
        "Rekordpreis versteigert worden.",
    ),
    (
        INFLECTION,
        ["IS"],
        "Auf Island ist erneut ein Vulkan auf der Halbinsel Reykjanes ausgebrochen.",
    ),
    (
        NO_ENTITY,
        [],
        "Die Zinsen für Baugeld sind in dieser Woche leicht gesunken, wie mehrere "
        "Vergleichsportale berichten.",
    ),
    (NO_ENTITY, [], "Der Titelverteidiger hat das Halbfinale erst im Elfmeterschießen verloren."),
    (HEADLINE, ["IN", "PK"], "Indien und Pakistan vereinbaren nach Grenzgefechten eine Waffenruhe"),
    (
        DEMONYM,
        ["PL", "DE"],
        "Polens Präsident hat die Kontrollen an der deutsch-polnischen Grenze scharf kritisiert.",
    ),
    (
        INFLECTION,
        ["FR", EU],
        "Frankreichs Präsident will die Aufrüstung der EU-Staaten mit gemeinsamen Schulden "
        "finanzieren.",
    ),
    (INFLECTION, ["CN", "TW"], "Chinas Marine hat ein großes Manöver rund um Taiwan begonnen."),
]

TEXTS["fr"] = [
    (
        DATELINE,
        ["KP", "KR"],
        "SÉOUL (AFP) - La Corée du Nord a tiré deux missiles balistiques en mer du Japon, a "
        "annoncé l'état-major sud-coréen.",
    ),
    (
        NORTH_KOREA,
        ["KP"],
        "Le dirigeant nord-coréen Kim Jong Un a inspecté une usine de munitions, selon "
        "l'agence officielle KCNA.",
    ),
    (
        NORTH_KOREA,
        ["KP", "RU"],
        "Des milliers de soldats nord-coréens combattent aux côtés de la Russie, selon les "
        "services de renseignement occidentaux.",
    ),
    (
        INFLECTION,
        ["KR"],
        "Les exportations de la Corée du Sud ont progressé pour le troisième mois consécutif "
        "en mai.",
    ),
    (
        TWO_KOREAS,
        ["KP", "KR"],
        "Les deux Corées, la Corée du Nord et la Corée du Sud, sont techniquement toujours en "
        "guerre depuis 1953.",
    ),
    (
        DATELINE,
        ["RU", "UA"],
        "KIEV (AFP) - La Russie a lancé plus de cent drones contre l'Ukraine dans la nuit, a "
        "indiqué l'armée de l'air ukrainienne.",
    ),
    (
        HEADLINE,
        ["CN", "US"],
        "Droits de douane : la Chine riposte et vise les produits agricoles des États-Unis",
    ),
    (
        ORG,
        [NATO, "DE"],
        "Les ministres de la Défense de l'OTAN ont salué la hausse des dépenses militaires de "
        "l'Allemagne.",
    ),
    (
        ORG,
        [EU, EC, "CN"],
        "La Commission européenne a ouvert une enquête sur les subventions chinoises aux "
        "fabricants de voitures électriques.",
    ),
    (
        ORG,
        [UN, UNSC, "IL", "LB"],
        "Le Conseil de sécurité de l'ONU s'est réuni en urgence après les frappes "
        "israéliennes au Liban.",
    ),
    (
        ORG,
        [WHO, "IN"],
        "L'Organisation mondiale de la santé (OMS) a salué la riposte de l'Inde à l'épidémie.",
    ),
    (
        ORG,
        [IMF, WB, "SN"],
        "Le FMI et la Banque mondiale ont promis de nouveaux financements au Sénégal.",
    ),
    (
        ORG,
        [WTO, "JP", "CN"],
        "Le Japon a porté plainte devant l'Organisation mondiale du commerce contre les "
        "restrictions chinoises à l'exportation.",
    ),
    (
        ORG,
        [OPEC, "SA"],
        "L'Opep+, emmenée par l'Arabie saoudite, a prolongé ses réductions de production "
        "jusqu'à la fin de l'année.",
    ),
    (
        ORG,
        [G7, "RU", "UA"],
        "Les pays du G7 veulent utiliser les avoirs russes gelés pour financer un prêt à "
        "l'Ukraine.",
    ),
    (ORG, [G20, "BR", "ZA"], "Le Brésil a passé la présidence du G20 à l'Afrique du Sud."),
    (
        INFLECTION,
        ["IR", "IL"],
        "Le ministre iranien des Affaires étrangères a averti Israël d'une riposte en cas "
        "d'attaque contre l'Iran.",
    ),
    (
        DEMONYM,
        ["JP"],
        "Les constructeurs automobiles japonais annoncent un deuxième mois de baisse des ventes.",
    ),
    (
        DATELINE,
        ["GB"],
        "LONDRES (AFP) - Le Royaume-Uni veut réduire fortement l'immigration, a annoncé le "
        "Premier ministre britannique.",
    ),
    (
        INFLECTION,
        ["TR", "SY"],
        "La Turquie a frappé des positions de milices kurdes dans le nord de la Syrie, selon "
        "Ankara.",
    ),
    (
        WORD_TRAP,
        ["US"],
        "Les électeurs de l'État de Géorgie, dans le sud des États-Unis, ont de nouveau "
        "départagé les candidats.",
    ),
    (
        WORD_TRAP,
        [],
        "Les baskets portées par Michael Jordan lors de la finale de 1998 ont été vendues aux "
        "enchères pour un prix record.",
    ),
    (
        NO_ENTITY,
        [],
        "Les taux des crédits immobiliers ont encore légèrement baissé ce mois-ci, selon les "
        "courtiers.",
    ),
    (NO_ENTITY, [], "Le tenant du titre a été éliminé en demi-finale aux tirs au but."),
    (HEADLINE, ["IN", "PK"], "L'Inde et le Pakistan concluent un cessez-le-feu après des combats"),
    (
        INFLECTION,
        ["FR", EU],
        "La France plaide pour un emprunt commun de l'UE afin de financer le réarmement.",
    ),
    (
        INFLECTION,
        ["US", "MX"],
        "Washington menace d'imposer des droits de douane au Mexique, ont indiqué des "
        "responsables américains.",
    ),
]

TEXTS["es"] = [
    (
        DATELINE,
        ["KP", "KR"],
        "SEÚL (EFE) - Corea del Norte disparó dos misiles balísticos al mar, informó el "
        "Estado Mayor surcoreano.",
    ),
    (
        NORTH_KOREA,
        ["KP"],
        "El líder norcoreano Kim Jong-un supervisó la prueba de un nuevo misil de crucero.",
    ),
    (
        NORTH_KOREA,
        ["KP", "RU"],
        "Miles de soldados norcoreanos combaten junto a Rusia, según servicios de "
        "inteligencia occidentales.",
    ),
    (
        INFLECTION,
        ["KR"],
        "Las exportaciones de Corea del Sur crecieron por tercer mes consecutivo en mayo.",
    ),
    (
        TWO_KOREAS,
        ["KP", "KR"],
        "Corea del Norte y Corea del Sur siguen técnicamente en guerra desde el armisticio de "
        "1953.",
    ),
    (
        DATELINE,
        ["RU", "UA"],
        "KIEV (EFE) - Rusia lanzó más de cien drones contra Ucrania durante la noche, informó "
        "la Fuerza Aérea ucraniana.",
    ),
    (
        HEADLINE,
        ["CN", "US"],
        "China responde a los aranceles de EE.UU. con controles a la exportación de tierras raras",
    ),
    (
        ORG,
        [NATO, "DE"],
        "Los ministros de Defensa de la OTAN elogiaron a Alemania por aumentar su gasto militar.",
    ),
    (
        ORG,
        [EU, EC, "CN"],
        "La Comisión Europea abrió una investigación sobre las subvenciones chinas a los "
        "coches eléctricos.",
    ),
    (
        ORG,
        [UN, UNSC, "IL", "LB"],
        "El Consejo de Seguridad de la ONU se reunió de urgencia tras los bombardeos "
        "israelíes en el Líbano.",
    ),
    (
        ORG,
        [WHO, "IN"],
        "La Organización Mundial de la Salud (OMS) elogió la respuesta de la India al brote.",
    ),
    (
        ORG,
        [IMF, WB, "AR"],
        "El FMI y el Banco Mundial aprobaron nuevos créditos para Argentina por valor de "
        "20.000 millones de dólares.",
    ),
    (
        ORG,
        [WTO, "MX", "US"],
        "México presentó una queja ante la Organización Mundial del Comercio contra los "
        "aranceles estadounidenses.",
    ),
    (
        ORG,
        [OPEC, "VE", "SA"],
        "La OPEP+, liderada por Arabia Saudí, mantuvo los recortes de producción pese a las "
        "presiones de Venezuela.",
    ),
    (
        ORG,
        [G7, "RU", "UA"],
        "Los líderes del G7 acordaron usar los activos rusos congelados para un préstamo a "
        "Ucrania.",
    ),
    (
        HEADLINE,
        [G20, "BR", "ZA"],
        "Brasil traspasa la presidencia del G20 a Sudáfrica",
    ),
    (
        INFLECTION,
        ["IR", "IL"],
        "El ministro de Exteriores de Irán advirtió a Israel de una respuesta contundente.",
    ),
    (
        DEMONYM,
        ["JP"],
        "Los fabricantes de automóviles japoneses registraron un segundo mes de caída de ventas.",
    ),
    (
        DATELINE,
        ["GB"],
        "LONDRES (EFE) - El Reino Unido endurecerá las reglas de inmigración, anunció el "
        "primer ministro británico.",
    ),
    (
        INFLECTION,
        ["TR", "SY"],
        "Turquía bombardeó posiciones de milicias kurdas en el norte de Siria.",
    ),
    (
        WORD_TRAP,
        [],
        "Para la salsa se necesitan dos chiles serranos, cebolla y un manojo de cilantro.",
    ),
    (
        WORD_TRAP,
        ["US"],
        "Los votantes del estado de Georgia, en el sur de Estados Unidos, decidirán el escaño.",
    ),
    (
        NO_ENTITY,
        [],
        "Los tipos de interés de las hipotecas bajaron ligeramente esta semana, según varios "
        "bancos.",
    ),
    (NO_ENTITY, [], "El vigente campeón cayó en semifinales en la tanda de penaltis."),
    (HEADLINE, ["IN", "PK"], "India y Pakistán acuerdan un alto el fuego tras los choques"),
    (
        ORG,
        [MERCOSUR, EU],
        "El Mercosur y la Unión Europea cerraron por fin el acuerdo comercial tras 25 años "
        "de negociaciones.",
    ),
    (
        DEMONYM,
        ["CL", "PE"],
        "Chile y Perú reforzaron la frontera tras la llegada de cientos de migrantes, dijeron "
        "autoridades chilenas.",
    ),
]

TEXTS["pt"] = [
    (
        DATELINE,
        ["KP", "KR"],
        "SEUL (Lusa) - A Coreia do Norte disparou dois mísseis balísticos para o mar, "
        "informou o Estado-Maior sul-coreano.",
    ),
    (
        NORTH_KOREA,
        ["KP"],
        "O líder norte-coreano Kim Jong-un acompanhou o teste de um novo míssil de cruzeiro.",
    ),
    (
        NORTH_KOREA,
        ["KP", "RU"],
        "Milhares de soldados norte-coreanos combatem ao lado da Rússia, segundo serviços de "
        "informação ocidentais.",
    ),
    (
        INFLECTION,
        ["KR"],
        "As exportações da Coreia do Sul subiram pelo terceiro mês consecutivo em maio.",
    ),
    (
        TWO_KOREAS,
        ["KP", "KR"],
        "As duas Coreias continuam tecnicamente em guerra: a Coreia do Norte e a Coreia do "
        "Sul assinaram apenas um armistício.",
    ),
    (
        DATELINE,
        ["RU", "UA"],
        "KIEV (Reuters) - A Rússia lançou mais de cem drones contra a Ucrânia durante a "
        "noite, disse a Força Aérea ucraniana.",
    ),
    (
        HEADLINE,
        ["CN", "US"],
        "China retalia tarifas dos EUA com restrições às exportações de terras raras",
    ),
    (
        ORG,
        [NATO, "DE"],
        "Os ministros da Defesa da Otan elogiaram a Alemanha pelo aumento dos gastos militares.",
    ),
    (
        ORG,
        [EU, EC, "CN"],
        "A Comissão Europeia abriu uma investigação aos subsídios chineses para carros elétricos.",
    ),
    (
        ORG,
        [UN, UNSC, "IL", "LB"],
        "O Conselho de Segurança da ONU reuniu-se de urgência após os ataques israelenses no "
        "Líbano.",
    ),
    (
        ORG,
        [WHO, "IN"],
        "A Organização Mundial da Saúde (OMS) elogiou a resposta da Índia ao surto.",
    ),
    (
        ORG,
        [IMF, WB, "MZ"],
        "O FMI e o Banco Mundial aprovaram novos empréstimos a Moçambique.",
    ),
    (
        ORG,
        [WTO, "BR", "US"],
        "O Brasil acionou a Organização Mundial do Comércio contra as tarifas americanas "
        "sobre o aço.",
    ),
    (
        ORG,
        [OPEC, "SA"],
        "A Opep+, liderada pela Arábia Saudita, prorrogou os cortes de produção até o fim do ano.",
    ),
    (
        ORG,
        [G7, "RU", "UA"],
        "Os líderes do G7 concordaram em usar ativos russos congelados num empréstimo à Ucrânia.",
    ),
    (HEADLINE, [G20, "BR", "ZA"], "Brasil passa a presidência do G20 para a África do Sul"),
    (
        INFLECTION,
        ["IR", "IL"],
        "O chanceler do Irã advertiu Israel de uma resposta firme a qualquer ataque.",
    ),
    (
        DEMONYM,
        ["JP"],
        "As montadoras japonesas registraram o segundo mês seguido de queda nas vendas.",
    ),
    (
        DATELINE,
        ["GB"],
        "LONDRES (Reuters) - O Reino Unido vai endurecer as regras de imigração, anunciou o "
        "primeiro-ministro britânico.",
    ),
    (
        INFLECTION,
        ["TR", "SY"],
        "A Turquia bombardeou posições de milícias curdas no norte da Síria.",
    ),
    (
        WORD_TRAP,
        [],
        "O preço do peru para a ceia de Natal subiu 12% nos supermercados, segundo a "
        "associação do setor.",
    ),
    (
        INFLECTION,
        ["PE"],
        "O Peru declarou estado de emergência em três regiões afetadas pelas chuvas.",
    ),
    (
        NO_ENTITY,
        [],
        "As taxas do crédito à habitação voltaram a descer ligeiramente esta semana.",
    ),
    (NO_ENTITY, [], "O atual campeão foi eliminado nas meias-finais na disputa de pênaltis."),
    (HEADLINE, ["IN", "PK"], "Índia e Paquistão acordam cessar-fogo após confrontos na fronteira"),
    (
        INFLECTION,
        ["BR", "AR"],
        "No Brasil, a inflação desacelerou em abril, enquanto na Argentina voltou a subir.",
    ),
    (
        ORG,
        [MERCOSUR, EU],
        "O Mercosul e a União Europeia concluíram o acordo comercial após 25 anos de negociações.",
    ),
]

TEXTS["it"] = [
    (
        DATELINE,
        ["KP", "KR"],
        "SEUL (ANSA) - La Corea del Nord ha lanciato due missili balistici in mare, ha "
        "riferito lo Stato maggiore sudcoreano.",
    ),
    (
        NORTH_KOREA,
        ["KP"],
        "Il leader nordcoreano Kim Jong-un ha assistito al test di un nuovo missile da crociera.",
    ),
    (
        NORTH_KOREA,
        ["KP", "RU"],
        "Migliaia di soldati nordcoreani combattono al fianco della Russia, secondo "
        "l'intelligence occidentale.",
    ),
    (
        INFLECTION,
        ["KR"],
        "Le esportazioni della Corea del Sud sono cresciute per il terzo mese consecutivo.",
    ),
    (
        TWO_KOREAS,
        ["KP", "KR"],
        "Corea del Nord e Corea del Sud sono tecnicamente ancora in guerra dal 1953.",
    ),
    (
        DATELINE,
        ["RU", "UA"],
        "KIEV (ANSA) - La Russia ha lanciato oltre cento droni contro l'Ucraina nella notte, "
        "ha detto l'aeronautica ucraina.",
    ),
    (HEADLINE, ["CN", "US"], "Dazi, la Cina risponde agli Usa con stop all'export di terre rare"),
    (
        ORG,
        [NATO, "DE"],
        "I ministri della Difesa della Nato hanno lodato la Germania per l'aumento della "
        "spesa militare.",
    ),
    (
        ORG,
        [EU, EC, "CN"],
        "La Commissione europea ha avviato un'indagine sui sussidi cinesi alle auto elettriche.",
    ),
    (
        ORG,
        [UN, UNSC, "IL", "LB"],
        "Il Consiglio di sicurezza dell'Onu si è riunito d'urgenza dopo i raid israeliani in "
        "Libano.",
    ),
    (
        ORG,
        [WHO, "IN"],
        "L'Organizzazione mondiale della sanità (Oms) ha elogiato la risposta dell'India "
        "all'epidemia.",
    ),
    (
        ORG,
        [IMF, WB, "EG"],
        "Il Fondo monetario internazionale e la Banca mondiale hanno concesso nuovi prestiti "
        "all'Egitto.",
    ),
    (
        ORG,
        [WTO, "JP", "CN"],
        "Il Giappone ha presentato ricorso all'Organizzazione mondiale del commercio contro "
        "le restrizioni cinesi.",
    ),
    (
        ORG,
        [OPEC, "SA"],
        "L'Opec+, guidata dall'Arabia Saudita, ha prorogato i tagli alla produzione.",
    ),
    (
        ORG,
        [G7, "RU", "UA"],
        "I leader del G7 useranno i beni russi congelati per un prestito all'Ucraina.",
    ),
    (HEADLINE, [G20, "BR", "ZA"], "Il Brasile passa la presidenza del G20 al Sudafrica"),
    (
        INFLECTION,
        ["IR", "IL"],
        "Il ministro degli Esteri dell'Iran ha avvertito Israele di una risposta decisa.",
    ),
    (
        DEMONYM,
        ["JP"],
        "Le case automobilistiche giapponesi registrano il secondo mese di calo delle vendite.",
    ),
    (
        DATELINE,
        ["GB"],
        "LONDRA (ANSA) - Il Regno Unito inasprirà le regole sull'immigrazione, ha annunciato "
        "il premier britannico.",
    ),
    (
        INFLECTION,
        ["TR", "SY"],
        "La Turchia ha bombardato postazioni delle milizie curde nel nord della Siria.",
    ),
    (
        WORD_TRAP,
        [],
        "In mostra cinquanta disegni a china e acquerelli dell'illustratore, molti dei quali "
        "inediti.",
    ),
    (
        WORD_TRAP,
        [],
        "Le scarpe indossate da Michael Jordan nella finale del 1998 sono state vendute "
        "all'asta per una cifra record.",
    ),
    (
        NO_ENTITY,
        [],
        "I tassi dei mutui sono scesi leggermente questa settimana, secondo i principali "
        "comparatori.",
    ),
    (NO_ENTITY, [], "I campioni in carica sono stati eliminati in semifinale ai rigori."),
    (HEADLINE, ["IN", "PK"], "India e Pakistan, accordo per il cessate il fuoco dopo gli scontri"),
    (
        INFLECTION,
        ["IT", EU],
        "L'Italia chiede all'Ue più flessibilità sui conti pubblici per la difesa.",
    ),
    (
        DEMONYM,
        ["FR", "IT"],
        "Il presidente francese e la premier italiana si sono incontrati per parlare di migranti.",
    ),
]

TEXTS["nl"] = [
    (
        DATELINE,
        ["KP", "KR"],
        "SEOUL (ANP) - Noord-Korea heeft twee ballistische raketten in zee afgevuurd, meldt "
        "het Zuid-Koreaanse leger.",
    ),
    (
        NORTH_KOREA,
        ["KP"],
        "De Noord-Koreaanse leider Kim Jong-un heeft de test van een nieuwe kruisraket bijgewoond.",
    ),
    (
        NORTH_KOREA,
        ["KP", "RU"],
        "Duizenden Noord-Koreaanse militairen vechten aan de zijde van Rusland, zeggen "
        "westerse inlichtingendiensten.",
    ),
    (
        INFLECTION,
        ["KR"],
        "De export van Zuid-Korea is in mei voor de derde maand op rij gestegen.",
    ),
    (
        TWO_KOREAS,
        ["KP", "KR"],
        "Noord- en Zuid-Korea zijn sinds de wapenstilstand van 1953 formeel nog in oorlog.",
    ),
    (
        DATELINE,
        ["RU", "UA"],
        "KYIV (ANP) - Rusland heeft Oekraïne vannacht met meer dan honderd drones "
        "aangevallen, meldt de Oekraïense luchtmacht.",
    ),
    (HEADLINE, ["CN", "US"], "China slaat terug met exportbeperkingen na nieuwe heffingen VS"),
    (
        ORG,
        [NATO, "DE"],
        "De NAVO-ministers van Defensie prezen Duitsland om de hogere defensie-uitgaven.",
    ),
    (
        ORG,
        [EU, EC, "CN"],
        "De Europese Commissie is een onderzoek begonnen naar Chinese subsidies voor "
        "elektrische auto's.",
    ),
    (
        ORG,
        [UN, UNSC, "IL", "LB"],
        "De VN-Veiligheidsraad kwam in spoedzitting bijeen na Israëlische luchtaanvallen in "
        "Libanon.",
    ),
    (
        ORG,
        [WHO, "IN"],
        "De Wereldgezondheidsorganisatie (WHO) prees India om de snelle aanpak van de uitbraak.",
    ),
    (
        ORG,
        [IMF, WB, "GH"],
        "Het IMF en de Wereldbank hebben nieuwe leningen aan Ghana goedgekeurd.",
    ),
    (
        ORG,
        [WTO, "JP", "CN"],
        "Japan heeft bij de Wereldhandelsorganisatie een klacht ingediend tegen Chinese "
        "exportbeperkingen.",
    ),
    (
        ORG,
        [OPEC, "SA"],
        "OPEC+ onder leiding van Saudi-Arabië verlengt de productiebeperkingen tot het "
        "einde van het jaar.",
    ),
    (
        ORG,
        [G7, "RU", "UA"],
        "De G7-landen willen bevroren Russische tegoeden gebruiken voor een lening aan Oekraïne.",
    ),
    (HEADLINE, [G20, "BR", "ZA"], "Brazilië draagt voorzitterschap G20 over aan Zuid-Afrika"),
    (
        INFLECTION,
        ["IR", "IL"],
        "De Iraanse minister van Buitenlandse Zaken waarschuwde Israël voor een krachtig antwoord.",
    ),
    (
        DEMONYM,
        ["JP"],
        "Japanse autofabrikanten melden voor de tweede maand op rij een daling van de verkoop.",
    ),
    (
        DATELINE,
        ["GB"],
        "LONDEN (ANP) - Het Verenigd Koninkrijk gaat de immigratie sterk beperken, kondigde "
        "de Britse premier aan.",
    ),
    (
        INFLECTION,
        ["TR", "SY"],
        "Turkije heeft stellingen van Koerdische milities in het noorden van Syrië gebombardeerd.",
    ),
    (
        WORD_TRAP,
        [],
        "Frans Timmermans kondigde dinsdag aan dat hij zich terugtrekt uit de landelijke politiek.",
    ),
    (
        WORD_TRAP,
        [],
        "Michael Jordan liet zijn basketbalschoenen uit de finale van 1998 veilen voor een "
        "recordbedrag.",
    ),
    (
        NO_ENTITY,
        [],
        "De hypotheekrente is deze week licht gedaald, melden verschillende vergelijkingssites.",
    ),
    (NO_ENTITY, [], "De titelverdediger werd in de halve finale na strafschoppen uitgeschakeld."),
    (HEADLINE, ["IN", "PK"], "India en Pakistan sluiten bestand na grensgevechten"),
    (
        INFLECTION,
        ["NL", "BE"],
        "Nederland en België gaan samen twee nieuwe fregatten kopen, maakte het kabinet bekend.",
    ),
    (
        ORG,
        [EU, "PL"],
        "De Europese Unie maakt miljarden euro's vrij voor Polen, dat zijn oostgrens versterkt.",
    ),
]

TEXTS["sv"] = [
    (
        DATELINE,
        ["KP", "KR"],
        "SEOUL (TT) – Nordkorea avfyrade två ballistiska robotar ut i havet, uppger "
        "Sydkoreas militär.",
    ),
    (
        NORTH_KOREA,
        ["KP"],
        "Nordkoreas ledare Kim Jong-un övervakade ett test av en ny kryssningsrobot, "
        "rapporterar statliga medier.",
    ),
    (
        NORTH_KOREA,
        ["KP", "RU"],
        "Tusentals nordkoreanska soldater strider på Rysslands sida, enligt västerländska "
        "underrättelsetjänster.",
    ),
    (INFLECTION, ["KR"], "Sydkoreas export ökade för tredje månaden i rad i maj."),
    (
        TWO_KOREAS,
        ["KP", "KR"],
        "Nord- och Sydkorea befinner sig formellt fortfarande i krig sedan "
        "vapenstilleståndet 1953.",
    ),
    (
        DATELINE,
        ["RU", "UA"],
        "KIEV (TT) – Ryssland angrep Ukraina med över hundra drönare under natten, uppger "
        "det ukrainska flygvapnet.",
    ),
    (HEADLINE, ["CN", "US"], "Kina slår tillbaka mot USA:s tullar med exportstopp för metaller"),
    (
        INFLECTION,
        [NATO, "DE"],
        "Natos försvarsministrar berömde Tyskland för de ökade försvarsutgifterna.",
    ),
    (
        INFLECTION,
        [NATO, "SE"],
        "Sverige blev Natomedlem i mars 2024 efter nästan två års väntan.",
    ),
    (
        ORG,
        [EU, EC, "CN"],
        "EU-kommissionen har inlett en utredning om kinesiska subventioner till elbilar.",
    ),
    (
        ORG,
        [UN, UNSC, "IL", "LB"],
        "FN:s säkerhetsråd höll ett krismöte efter de israeliska flygangreppen i Libanon.",
    ),
    (
        ORG,
        [WHO, "IN"],
        "Världshälsoorganisationen WHO berömde Indien för hanteringen av utbrottet.",
    ),
    (
        ORG,
        [IMF, WB, "KE"],
        "Internationella valutafonden och Världsbanken har beviljat Kenya nya lån.",
    ),
    (
        ORG,
        [WTO, "JP", "CN"],
        "Japan har anmält Kina till Världshandelsorganisationen WTO för exportrestriktionerna.",
    ),
    (
        ORG,
        [OPEC, "SA"],
        "Oljekartellen Opec+ med Saudiarabien i spetsen förlänger produktionsneddragningarna.",
    ),
    (
        ORG,
        [G7, "RU", "UA"],
        "G7-länderna vill använda frysta ryska tillgångar till ett lån till Ukraina.",
    ),
    (HEADLINE, [G20, "BR", "ZA"], "Brasilien lämnar över G20-ordförandeskapet till Sydafrika"),
    (INFLECTION, ["IR", "IL"], "Irans utrikesminister varnade Israel för ett kraftfullt svar."),
    (
        DEMONYM,
        ["JP"],
        "Japanska biltillverkare rapporterar minskad försäljning för andra månaden i rad.",
    ),
    (
        DATELINE,
        ["GB"],
        "LONDON (TT) – Storbritannien ska kraftigt begränsa invandringen, meddelar den "
        "brittiska premiärministern.",
    ),
    (INFLECTION, ["TR", "SY"], "Turkiet har bombat kurdiska miliser i norra Syrien."),
    (
        WORD_TRAP,
        ["US"],
        "Ett kraftigt oväder drog under natten in över delstaten Rhode Island i USA.",
    ),
    (INFLECTION, ["IS"], "Ett nytt vulkanutbrott har inletts på Reykjaneshalvön på Island."),
    (
        WORD_TRAP,
        [],
        "Michael Jordans basketskor från finalen 1998 såldes för ett rekordbelopp på auktion.",
    ),
    (NO_ENTITY, [], "Bolåneräntorna sjönk något den här veckan, enligt flera banker."),
    (NO_ENTITY, [], "De regerande mästarna åkte ut i semifinalen efter straffläggning."),
    (HEADLINE, ["IN", "PK"], "Indien och Pakistan enas om vapenvila efter gränsstrider"),
    (
        INFLECTION,
        ["SE", "FI", "NO"],
        "Sveriges, Finlands och Norges försvarsministrar möttes på torsdagen.",
    ),
]

TEXTS["pl"] = [
    (
        DATELINE,
        ["KP", "KR"],
        "SEUL (PAP) - Korea Północna wystrzeliła dwa pociski balistyczne w kierunku morza - "
        "poinformowało dowództwo sił zbrojnych Korei Południowej.",
    ),
    (
        NORTH_KOREA,
        ["KP"],
        "Przywódca Korei Północnej Kim Dzong Un nadzorował test nowego pocisku manewrującego.",
    ),
    (
        NORTH_KOREA,
        ["KP", "RU"],
        "Tysiące północnokoreańskich żołnierzy walczą po stronie Rosji - twierdzą zachodnie "
        "wywiady.",
    ),
    (INFLECTION, ["KR"], "Eksport Korei Południowej wzrósł w maju trzeci miesiąc z rzędu."),
    (
        TWO_KOREAS,
        ["KP", "KR"],
        "Korea Północna i Korea Południowa formalnie wciąż pozostają w stanie wojny.",
    ),
    (
        DATELINE,
        ["RU", "UA"],
        "KIJÓW (PAP) - Rosja zaatakowała w nocy Ukrainę ponad setką dronów - przekazały "
        "ukraińskie siły powietrzne.",
    ),
    (
        HEADLINE,
        ["CN", "US"],
        "Chiny odpowiadają na cła USA ograniczeniami eksportu metali ziem rzadkich",
    ),
    (
        ORG,
        [NATO, "DE"],
        "Ministrowie obrony NATO pochwalili Niemcy za zwiększenie wydatków wojskowych.",
    ),
    (
        ORG,
        [EU, EC, "CN"],
        "Komisja Europejska wszczęła postępowanie w sprawie chińskich dotacji do samochodów "
        "elektrycznych.",
    ),
    (
        ORG,
        [UN, UNSC, "IL", "LB"],
        "Rada Bezpieczeństwa ONZ zebrała się na nadzwyczajnym posiedzeniu po izraelskich "
        "nalotach na Liban.",
    ),
    (
        ORG,
        [WHO, "IN"],
        "Światowa Organizacja Zdrowia (WHO) pochwaliła Indie za szybkie opanowanie epidemii.",
    ),
    (
        ORG,
        [IMF, WB, "UA"],
        "Międzynarodowy Fundusz Walutowy i Bank Światowy przyznały Ukrainie nowe kredyty.",
    ),
    (
        INFLECTION,
        [WTO, "JP", "CN"],
        "Japonia złożyła skargę do Światowej Organizacji Handlu na chińskie ograniczenia "
        "eksportowe.",
    ),
    (
        INFLECTION,
        [OPEC, "SA"],
        "Kartel OPEC+ pod przewodnictwem Arabii Saudyjskiej przedłużył cięcia wydobycia.",
    ),
    (
        ORG,
        [G7, "RU", "UA"],
        "Przywódcy G7 zgodzili się wykorzystać zamrożone rosyjskie aktywa do pożyczki dla Ukrainy.",
    ),
    (
        HEADLINE,
        [G20, "BR", "ZA"],
        "Brazylia przekazała przewodnictwo w G20 Republice Południowej Afryki",
    ),
    (
        INFLECTION,
        ["IR", "IL"],
        "Szef irańskiej dyplomacji ostrzegł Izrael przed zdecydowaną odpowiedzią Iranu.",
    ),
    (
        DEMONYM,
        ["JP"],
        "Japońscy producenci samochodów odnotowali drugi z rzędu miesięczny spadek sprzedaży.",
    ),
    (
        DATELINE,
        ["GB"],
        "LONDYN (PAP) - Wielka Brytania zaostrzy przepisy imigracyjne - zapowiedział "
        "brytyjski premier.",
    ),
    (
        INFLECTION,
        ["TR", "SY"],
        "Turcja zbombardowała pozycje kurdyjskich bojówek na północy Syrii.",
    ),
    (
        WORD_TRAP,
        [],
        "Dwie osoby zmarły w wyniku zatrucia czadem w domu jednorodzinnym - poinformowała "
        "straż pożarna.",
    ),
    (INFLECTION, ["TD", "SD"], "Czad zamknął granicę z Sudanem po napływie uchodźców."),
    (
        INFLECTION,
        ["PL", "DE"],
        "W Polsce i w Niemczech ceny energii wzrosły w maju najbardziej od roku.",
    ),
    (
        WORD_TRAP,
        [],
        "Buty, w których Michael Jordan grał w finale w 1998 roku, sprzedano na aukcji za "
        "rekordową kwotę.",
    ),
    (
        NO_ENTITY,
        [],
        "Oprocentowanie kredytów hipotecznych nieznacznie spadło w tym tygodniu - podają banki.",
    ),
    (NO_ENTITY, [], "Obrońcy tytułu odpadli w półfinale po serii rzutów karnych."),
    (HEADLINE, ["IN", "PK"], "Indie i Pakistan uzgodniły zawieszenie broni po starciach"),
]

TEXTS["ru"] = [
    (
        DATELINE,
        ["KP", "KR"],
        "СЕУЛ, 4 марта (Интерфакс) — КНДР запустила две баллистические ракеты в сторону "
        "моря, сообщил Объединенный комитет начальников штабов Южной Кореи.",
    ),
    (
        NORTH_KOREA,
        ["KP"],
        "Лидер Северной Кореи Ким Чен Ын наблюдал за испытанием новой крылатой ракеты.",
    ),
    (
        NORTH_KOREA,
        ["KP", "RU"],
        "Северокорейские военные участвуют в боевых действиях на стороне России, "
        "утверждают западные спецслужбы.",
    ),
    (INFLECTION, ["KR"], "Экспорт Южной Кореи в мае вырос третий месяц подряд."),
    (
        TWO_KOREAS,
        ["KP", "KR"],
        "Северная и Южная Корея формально до сих пор находятся в состоянии войны.",
    ),
    (
        DATELINE,
        ["RU", "UA"],
        "КИЕВ (Рейтер) — Россия атаковала Украину более чем сотней беспилотников, сообщили "
        "Воздушные силы Украины.",
    ),
    (
        HEADLINE,
        ["CN", "US"],
        "Китай ответил на пошлины США ограничением экспорта редкоземельных металлов",
    ),
    (
        ORG,
        [NATO, "DE"],
        "Министры обороны стран НАТО похвалили Германию за рост военных расходов.",
    ),
    (
        ORG,
        [EU, EC, "CN"],
        "Еврокомиссия начала расследование в отношении китайских субсидий производителям "
        "электромобилей.",
    ),
    (
        ORG,
        [UN, UNSC, "IL", "LB"],
        "Совбез ООН провел экстренное заседание после израильских ударов по Ливану.",
    ),
    (
        ORG,
        [WHO, "IN"],
        "Всемирная организация здравоохранения (ВОЗ) похвалила Индию за быстрое сдерживание "
        "вспышки.",
    ),
    (ORG, [IMF, WB, "EG"], "МВФ и Всемирный банк одобрили новые кредиты Египту."),
    (
        ORG,
        [WTO, "JP", "CN"],
        "Япония подала жалобу в ВТО на китайские экспортные ограничения.",
    ),
    (
        INFLECTION,
        [OPEC, "SA", "RU"],
        "Страны ОПЕК+ во главе с Саудовской Аравией и Россией продлили сокращение добычи.",
    ),
    (
        ORG,
        [G7, "RU", "UA"],
        "Страны «Большой семерки» договорились использовать замороженные российские активы "
        "для кредита Украине.",
    ),
    (
        ORG,
        [SCO, "CN", "IN"],
        "Председатель КНР и премьер-министр Индии встретились на полях саммита ШОС.",
    ),
    (
        INFLECTION,
        ["IR", "IL"],
        "Глава МИД Ирана пригрозил Израилю решительным ответом.",
    ),
    (
        DEMONYM,
        ["JP"],
        "Японские автопроизводители второй месяц подряд сообщают о падении продаж.",
    ),
    (
        DATELINE,
        ["GB"],
        "ЛОНДОН (ТАСС) — Великобритания ужесточит иммиграционные правила, заявил британский "
        "премьер-министр.",
    ),
    (
        INFLECTION,
        ["TR", "SY"],
        "Турция нанесла удары по позициям курдских формирований на севере Сирии.",
    ),
    (
        WORD_TRAP,
        [],
        "Урожай грецкого ореха в этом году оказался на треть ниже среднего, сообщили фермеры.",
    ),
    (WORD_TRAP, [], "Оркестр открыл фестиваль «Турецким маршем» Моцарта."),
    (NO_ENTITY, [], "Ставки по ипотеке на этой неделе немного снизились, сообщают банки."),
    (NO_ENTITY, [], "Действующий чемпион выбыл в полуфинале после серии пенальти."),
    (
        HEADLINE,
        ["IN", "PK"],
        "Индия и Пакистан договорились о прекращении огня после столкновений на границе",
    ),
    (
        INFLECTION,
        ["US", "RU"],
        "В Соединенных Штатах заявили, что санкции против России останутся в силе.",
    ),
    (ORG, [EU, "RU"], "Евросоюз утвердил 17-й пакет санкций против России."),
    (INFLECTION, [USSR, "UA"], "После распада СССР Украина провозгласила независимость."),
]

TEXTS["uk"] = [
    (
        DATELINE,
        ["KP", "KR"],
        "СЕУЛ (Укрінформ) — Північна Корея запустила дві балістичні ракети в бік моря, "
        "повідомили військові Південної Кореї.",
    ),
    (
        NORTH_KOREA,
        ["KP"],
        "Лідер КНДР Кім Чен Ин спостерігав за випробуванням нової крилатої ракети.",
    ),
    (
        NORTH_KOREA,
        ["KP", "RU", "UA"],
        "Північнокорейські військові воюють на боці Росії проти України, заявили в "
        "українській розвідці.",
    ),
    (INFLECTION, ["KR"], "Експорт Південної Кореї у травні зріс утретє поспіль."),
    (
        TWO_KOREAS,
        ["KP", "KR"],
        "Північна та Південна Корея формально досі перебувають у стані війни.",
    ),
    (
        DATELINE,
        ["RU", "UA"],
        "КИЇВ (Укрінформ) — Росія вночі атакувала Україну понад сотнею дронів, повідомили "
        "Повітряні сили.",
    ),
    (
        HEADLINE,
        ["CN", "US"],
        "Китай відповів на мита США обмеженням експорту рідкісноземельних металів",
    ),
    (
        ORG,
        [NATO, "DE"],
        "Міністри оборони країн НАТО похвалили Німеччину за збільшення військових витрат.",
    ),
    (
        ORG,
        [EU, EC, "CN"],
        "Європейська комісія розпочала розслідування щодо китайських субсидій виробникам "
        "електромобілів.",
    ),
    (
        ORG,
        [UN, UNSC, "IL", "LB"],
        "Рада безпеки ООН провела екстрене засідання після ізраїльських ударів по Лівану.",
    ),
    (
        ORG,
        [WHO, "IN"],
        "Всесвітня організація охорони здоров'я (ВООЗ) похвалила Індію за швидке стримування "
        "спалаху.",
    ),
    (ORG, [IMF, WB, "UA"], "МВФ і Світовий банк схвалили нові кредити для України."),
    (
        ORG,
        [WTO, "JP", "CN"],
        "Японія подала скаргу до СОТ на китайські експортні обмеження.",
    ),
    (
        INFLECTION,
        [OPEC, "SA"],
        "Країни ОПЕК+ на чолі з Саудівською Аравією продовжили скорочення видобутку.",
    ),
    (
        ORG,
        [G7, "RU", "UA"],
        "Лідери країн «Великої сімки» домовилися використати заморожені російські активи для "
        "кредиту Україні.",
    ),
    (ORG, [EU, "UA"], "Євросоюз надасть Україні ще 50 мільярдів євро."),
    (
        INFLECTION,
        ["IR", "IL"],
        "Міністр закордонних справ Ірану пригрозив Ізраїлю рішучою відповіддю.",
    ),
    (
        DEMONYM,
        ["JP"],
        "Японські автовиробники другий місяць поспіль повідомляють про падіння продажів.",
    ),
    (
        DATELINE,
        ["GB"],
        "ЛОНДОН (Укрінформ) — Велика Британія посилить імміграційні правила, заявив "
        "британський прем'єр-міністр.",
    ),
    (
        INFLECTION,
        ["TR", "SY"],
        "Туреччина завдала ударів по позиціях курдських формувань на півночі Сирії.",
    ),
    (WORD_TRAP, [], "У міському парку відкрили нові американські гірки для дітей."),
    (WORD_TRAP, [], "Оркестр завершив концерт «Турецьким маршем» Моцарта."),
    (NO_ENTITY, [], "Ставки за іпотекою цього тижня дещо знизилися, повідомляють банки."),
    (NO_ENTITY, [], "Чинний чемпіон вибув у півфіналі після серії пенальті."),
    (
        HEADLINE,
        ["IN", "PK"],
        "Індія та Пакистан домовилися про припинення вогню після зіткнень на кордоні",
    ),
    (
        INFLECTION,
        ["PL", "UA"],
        "У Польщі відкрили новий пункт пропуску на кордоні з Україною.",
    ),
    (
        INFLECTION,
        ["US", "UA"],
        "У Сполучених Штатах заявили, що продовжать постачання зброї Україні.",
    ),
]

TEXTS["tr"] = [
    (
        DATELINE,
        ["KP", "KR"],
        "SEUL (AA) - Kuzey Kore'nin denize iki balistik füze fırlattığı, Güney Kore "
        "Genelkurmay Başkanlığı tarafından açıklandı.",
    ),
    (
        NORTH_KOREA,
        ["KP"],
        "Kuzey Kore lideri Kim Jong Un, yeni bir seyir füzesinin testini izledi.",
    ),
    (
        NORTH_KOREA,
        ["KP", "RU"],
        "Binlerce Kuzey Koreli askerin Rusya saflarında savaştığı bildirildi.",
    ),
    (INFLECTION, ["KR"], "Güney Kore'nin ihracatı mayısta üst üste üçüncü ay arttı."),
    (
        TWO_KOREAS,
        ["KP", "KR"],
        "Kuzey ve Güney Kore, 1953'teki ateşkesten bu yana teknik olarak savaş halinde.",
    ),
    (
        DATELINE,
        ["RU", "UA"],
        "KİEV (AA) - Rusya'nın gece boyunca Ukrayna'ya yüzden fazla insansız hava aracıyla "
        "saldırdığı bildirildi.",
    ),
    (
        HEADLINE,
        ["CN", "US"],
        "Çin, ABD'nin gümrük vergilerine nadir toprak elementi kısıtlamasıyla karşılık verdi",
    ),
    (
        ORG,
        [NATO, "DE"],
        "NATO savunma bakanları, askeri harcamalarını artıran Almanya'yı övdü.",
    ),
    (
        ORG,
        [EU, EC, "CN"],
        "Avrupa Komisyonu, Çin'in elektrikli araç sübvansiyonlarına yönelik soruşturma başlattı.",
    ),
    (
        ORG,
        [UN, UNSC, "IL", "LB"],
        "BM Güvenlik Konseyi, İsrail'in Lübnan'a düzenlediği saldırıların ardından acil toplandı.",
    ),
    (
        ORG,
        [WHO, "IN"],
        "Dünya Sağlık Örgütü (DSÖ), salgını hızla kontrol altına alan Hindistan'ı övdü.",
    ),
    (ORG, [IMF, WB, "EG"], "IMF ve Dünya Bankası, Mısır'a yeni krediler onayladı."),
    (
        ORG,
        [WTO, "JP", "CN"],
        "Japonya, Çin'in ihracat kısıtlamalarını Dünya Ticaret Örgütü'ne şikayet etti.",
    ),
    (
        ORG,
        [OPEC, "SA"],
        "Suudi Arabistan liderliğindeki OPEC+, üretim kesintilerini yıl sonuna kadar uzattı.",
    ),
    (
        ORG,
        [G7, "RU", "UA"],
        "G7 liderleri, dondurulan Rus varlıklarının Ukrayna'ya verilecek kredide "
        "kullanılmasını kabul etti.",
    ),
    (
        HEADLINE,
        [G20, "BR", "ZA"],
        "Brezilya, G20 dönem başkanlığını Güney Afrika'ya devretti",
    ),
    (
        INFLECTION,
        ["IR", "IL"],
        "İran Dışişleri Bakanı, olası bir saldırı halinde İsrail'e sert yanıt verileceğini "
        "söyledi.",
    ),
    (
        DEMONYM,
        ["JP"],
        "Japon otomobil üreticilerinin satışları üst üste ikinci ay geriledi.",
    ),
    (
        DATELINE,
        ["GB"],
        "LONDRA (AA) - İngiltere Başbakanı, göç kurallarının sıkılaştırılacağını açıkladı.",
    ),
    (
        INFLECTION,
        ["TR", "SY"],
        "Türkiye, Suriye'nin kuzeyindeki terör örgütü mevzilerini vurdu.",
    ),
    (
        WORD_TRAP,
        [],
        "Bu yıl mısır hasadında verim, kuraklık nedeniyle yüzde 20 düştü.",
    ),
    (WORD_TRAP, [], "Yılbaşı öncesinde hindi fiyatları yüzde 30 arttı."),
    (
        INFLECTION,
        ["EG"],
        "Mısır'da cumhurbaşkanlığı seçimi için oy verme işlemi başladı.",
    ),
    (NO_ENTITY, [], "Konut kredisi faizleri bu hafta hafif geriledi."),
    (NO_ENTITY, [], "Son şampiyon, yarı finalde penaltılarla elendi."),
    (
        HEADLINE,
        ["IN", "PK"],
        "Hindistan ve Pakistan, sınır çatışmalarının ardından ateşkeste uzlaştı",
    ),
    (
        INFLECTION,
        ["GR", "TR"],
        "Yunanistan ile Türkiye arasında düzensiz göç konusunda yeni görüşmeler başladı.",
    ),
]

TEXTS["ar"] = [
    (
        DATELINE,
        ["KP", "KR"],
        "سول (رويترز) - أطلقت كوريا الشمالية صاروخين باليستيين باتجاه البحر، وفق ما أعلنت "
        "هيئة الأركان المشتركة في كوريا الجنوبية.",
    ),
    (
        NORTH_KOREA,
        ["KP"],
        "أشرف الزعيم الكوري الشمالي كيم جونغ أون على اختبار صاروخ كروز جديد.",
    ),
    (
        NORTH_KOREA,
        ["KP", "RU"],
        "يقاتل آلاف الجنود الكوريين الشماليين إلى جانب روسيا، بحسب أجهزة استخبارات غربية.",
    ),
    (
        INFLECTION,
        ["KR"],
        "ارتفعت صادرات كوريا الجنوبية للشهر الثالث على التوالي في مايو/أيار.",
    ),
    (
        TWO_KOREAS,
        ["KP", "KR"],
        "لا تزال الكوريتان الشمالية والجنوبية في حالة حرب من الناحية الفنية منذ هدنة عام 1953.",
    ),
    (
        DATELINE,
        ["RU", "UA"],
        "كييف (أ ف ب) - شنّت روسيا هجوماً على أوكرانيا بأكثر من مئة طائرة مسيّرة خلال "
        "الليل، وفق سلاح الجو الأوكراني.",
    ),
    (
        HEADLINE,
        ["CN", "US"],
        "الصين ترد على الرسوم الأمريكية بقيود على تصدير المعادن النادرة",
    ),
    (
        INFLECTION,
        [NATO, "DE"],
        "أشاد وزراء دفاع حلف شمال الأطلسي (الناتو) بألمانيا لزيادة إنفاقها العسكري.",
    ),
    (
        ORG,
        [EU, EC, "CN"],
        "فتحت المفوضية الأوروبية تحقيقاً في الدعم الصيني لصناعة السيارات الكهربائية.",
    ),
    (
        ORG,
        [UN, UNSC, "IL", "LB"],
        "عقد مجلس الأمن الدولي جلسة طارئة بعد الغارات الإسرائيلية على لبنان.",
    ),
    (
        INFLECTION,
        [WHO, "IN"],
        "أشادت منظمة الصحة العالمية بالهند لاحتوائها السريع لتفشي المرض.",
    ),
    (
        INFLECTION,
        [IMF, WB, "EG"],
        "وافق صندوق النقد الدولي والبنك الدولي على قروض جديدة لمصر.",
    ),
    (
        ORG,
        [WTO, "JP", "CN"],
        "تقدمت اليابان بشكوى إلى منظمة التجارة العالمية ضد القيود الصينية على الصادرات.",
    ),
    (
        INFLECTION,
        [OPEC, "SA", "RU"],
        "مددت أوبك+ بقيادة السعودية وروسيا تخفيضات الإنتاج حتى نهاية العام.",
    ),
    (
        INFLECTION,
        [G7, "RU", "UA"],
        "اتفق قادة مجموعة السبع على استخدام الأصول الروسية المجمدة لتمويل قرض لأوكرانيا.",
    ),
    (ORG, [ARAB_LEAGUE, "SY"], "رحبت جامعة الدول العربية بعودة سوريا إلى شغل مقعدها."),
    (
        DEMONYM,
        ["IR", "IL"],
        "حذّر وزير الخارجية الإيراني إسرائيل من رد حازم على أي هجوم.",
    ),
    (
        DEMONYM,
        ["JP"],
        "سجلت شركات السيارات اليابانية تراجعاً في المبيعات للشهر الثاني على التوالي.",
    ),
    (
        DATELINE,
        ["GB"],
        "لندن (رويترز) - أعلن رئيس الوزراء البريطاني تشديد قواعد الهجرة إلى المملكة المتحدة.",
    ),
    (INFLECTION, ["TR", "SY"], "قصفت تركيا مواقع لمسلحين أكراد في شمال سوريا."),
    (
        INFLECTION,
        ["US"],
        "تراجع معدل البطالة بالولايات المتحدة إلى 3.9 في المئة في أبريل/نيسان.",
    ),
    (INFLECTION, ["IN", "CN"], "اتفقت الهند والصين على خفض التوتر على حدودهما المشتركة."),
    (
        WORD_TRAP,
        ["US"],
        "أعلن حاكم ولاية جورجيا الأمريكية حالة الطوارئ قبل وصول الإعصار.",
    ),
    (
        WORD_TRAP,
        [],
        "بيع حذاء نجم كرة السلة مايكل جوردان من نهائي عام 1998 في مزاد بسعر قياسي.",
    ),
    (
        WORD_TRAP,
        ["JO"],
        "عمان (بترا) - قال الأردن إنه سيستضيف مؤتمراً دولياً لتنسيق المساعدات الإنسانية.",
    ),
    (
        NO_ENTITY,
        [],
        "تراجعت أسعار الفائدة على القروض العقارية قليلاً هذا الأسبوع بحسب عدد من البنوك.",
    ),
    (NO_ENTITY, [], "خرج حامل اللقب من الدور نصف النهائي بركلات الترجيح."),
    (HEADLINE, ["IN", "PK"], "الهند وباكستان تتفقان على وقف إطلاق النار بعد اشتباكات حدودية"),
]

TEXTS["fa"] = [
    (
        DATELINE,
        ["KP", "KR"],
        "سئول (ایرنا) - به گزارش ستاد مشترک ارتش کره جنوبی، کره شمالی دو موشک بالستیک به "
        "سمت دریا شلیک کرد.",
    ),
    (NORTH_KOREA, ["KP"], "رهبر کره شمالی بر آزمایش یک موشک کروز جدید نظارت کرد."),
    (
        NORTH_KOREA,
        ["KP", "RU"],
        "به گفته سرویس‌های اطلاعاتی غربی، هزاران سرباز کره شمالی در کنار روسیه می‌جنگند.",
    ),
    (
        INFLECTION,
        ["KR"],
        "صادرات کره جنوبی در ماه مه برای سومین ماه متوالی افزایش یافت.",
    ),
    (
        TWO_KOREAS,
        ["KP", "KR"],
        "دو کره از زمان آتش‌بس ۱۹۵۳ از نظر فنی همچنان در حال جنگ هستند.",
    ),
    (
        DATELINE,
        ["RU", "UA"],
        "کی‌یف (رویترز) - روسیه شب گذشته با بیش از صد پهپاد به اوکراین حمله کرد.",
    ),
    (HEADLINE, ["CN", "US"], "پاسخ چین به تعرفه‌های آمریکا: محدودیت صادرات فلزات کمیاب"),
    (
        ORG,
        [NATO, "DE"],
        "وزیران دفاع ناتو از افزایش هزینه‌های نظامی آلمان قدردانی کردند.",
    ),
    (
        ORG,
        [EU, EC, "CN"],
        "کمیسیون اروپا تحقیقاتی درباره یارانه‌های چین به خودروهای برقی آغاز کرد.",
    ),
    (
        ORG,
        [UN, UNSC, "IL", "LB"],
        "شورای امنیت سازمان ملل پس از حملات هوایی اسرائیل به لبنان جلسه اضطراری برگزار کرد.",
    ),
    (
        ORG,
        [WHO, "IN"],
        "سازمان جهانی بهداشت از اقدامات سریع هند برای مهار شیوع بیماری تمجید کرد.",
    ),
    (
        ORG,
        [IMF, WB, "PK"],
        "صندوق بین‌المللی پول و بانک جهانی وام‌های تازه‌ای به پاکستان اعطا کردند.",
    ),
    (
        ORG,
        [WTO, "JP", "CN"],
        "ژاپن از محدودیت‌های صادراتی چین به سازمان تجارت جهانی شکایت کرد.",
    ),
    (
        ORG,
        [OPEC, "SA", "IR"],
        "اوپک پلاس به رهبری عربستان سعودی کاهش تولید را تمدید کرد؛ ایران از این کاهش معاف است.",
    ),
    (
        ORG,
        [G7, "RU", "UA"],
        "رهبران گروه هفت توافق کردند از دارایی‌های مسدودشده روسیه برای وام به اوکراین استفاده کنند.",
    ),
    (
        ORG,
        [IAEA, "IR"],
        "مدیرکل آژانس بین‌المللی انرژی اتمی برای گفتگو درباره برنامه هسته‌ای ایران به تهران سفر کرد.",
    ),
    (
        INFLECTION,
        ["IR", "IL"],
        "وزیر امور خارجه ایران به اسرائیل هشدار داد که به هر حمله‌ای پاسخ قاطع خواهد داد.",
    ),
    (
        DEMONYM,
        ["JP"],
        "خودروسازان ژاپنی برای دومین ماه متوالی از کاهش فروش خبر دادند.",
    ),
    (
        DATELINE,
        ["GB"],
        "لندن (رویترز) - نخست‌وزیر بریتانیا از سخت‌تر شدن قوانین مهاجرت خبر داد.",
    ),
    (
        INFLECTION,
        ["TR", "SY"],
        "ترکیه مواضع شبه‌نظامیان کرد را در شمال سوریه بمباران کرد.",
    ),
    (
        WORD_TRAP,
        [],
        "فروش ظروف چینی دست‌ساز در نمایشگاه صنایع دستی افزایش یافت.",
    ),
    (
        DEMONYM,
        ["CN"],
        "شرکت‌های چینی بزرگ‌ترین سهم بازار خودروهای برقی را در اختیار دارند.",
    ),
    (
        DEMONYM,
        ["AF", "IR"],
        "هزاران مهاجر افغان در ماه گذشته از ایران بازگردانده شدند.",
    ),
    (NO_ENTITY, [], "نرخ سود وام‌های مسکن این هفته اندکی کاهش یافت."),
    (NO_ENTITY, [], "مدافع عنوان قهرمانی در نیمه‌نهایی در ضربات پنالتی حذف شد."),
    (HEADLINE, ["IN", "PK"], "توافق هند و پاکستان برای آتش‌بس پس از درگیری‌های مرزی"),
    (
        INFLECTION,
        ["IQ", "IR"],
        "عراق و ایران یک توافق‌نامه امنیتی مرزی امضا کردند.",
    ),
]

TEXTS["he"] = [
    (
        DATELINE,
        ["KP", "KR"],
        "סיאול (רויטרס) - צפון קוריאה שיגרה שני טילים בליסטיים לעבר הים, כך מסר המטה "
        "המשולב של צבא דרום קוריאה.",
    ),
    (
        NORTH_KOREA,
        ["KP"],
        "מנהיג צפון קוריאה, קים ג'ונג און, צפה בניסוי בטיל שיוט חדש.",
    ),
    (
        NORTH_KOREA,
        ["KP", "RU"],
        "אלפי חיילים צפון קוריאנים לוחמים לצד רוסיה, לפי שירותי מודיעין מערביים.",
    ),
    (
        INFLECTION,
        ["KR"],
        "היצוא של דרום קוריאה עלה במאי זה החודש השלישי ברציפות.",
    ),
    (
        TWO_KOREAS,
        ["KP", "KR"],
        "צפון קוריאה ודרום קוריאה עדיין נמצאות רשמית במצב מלחמה מאז הסכם שביתת הנשק ב-1953.",
    ),
    (
        DATELINE,
        ["RU", "UA"],
        "קייב - רוסיה תקפה הלילה את אוקראינה ביותר ממאה רחפנים, כך מסר חיל האוויר האוקראיני.",
    ),
    (
        HEADLINE,
        ["CN", "US"],
        'סין מגיבה למכסים של ארה"ב בהגבלות על יצוא מתכות נדירות',
    ),
    (
        ORG,
        [NATO, "DE"],
        'שרי ההגנה של נאט"ו שיבחו את גרמניה על הגדלת תקציב הביטחון.',
    ),
    (
        ORG,
        [EU, EC, "CN"],
        "הנציבות האירופית פתחה בחקירה על סובסידיות סיניות לרכבים חשמליים.",
    ),
    (
        INFLECTION,
        [UN, UNSC, "IL", "LB"],
        'מועצת הביטחון של האו"ם התכנסה לדיון חירום בעקבות התקיפות הישראליות בלבנון.',
    ),
    (
        ORG,
        [WHO, "IN"],
        "ארגון הבריאות העולמי שיבח את הודו על הבלימה המהירה של ההתפרצות.",
    ),
    (
        INFLECTION,
        [IMF, WB, "EG"],
        "קרן המטבע הבינלאומית והבנק העולמי אישרו הלוואות חדשות למצרים.",
    ),
    (
        INFLECTION,
        [WTO, "JP", "CN"],
        "יפן הגישה תלונה לארגון הסחר העולמי נגד הגבלות היצוא של סין.",
    ),
    (
        ORG,
        [OPEC, "SA"],
        'אופ"ק+ בהובלת ערב הסעודית האריכה את קיצוצי התפוקה עד סוף השנה.',
    ),
    (
        INFLECTION,
        [G7, "RU", "UA"],
        "מנהיגי ה-G7 הסכימו להשתמש בנכסים רוסיים מוקפאים למימון הלוואה לאוקראינה.",
    ),
    (
        INFLECTION,
        ["IR", "IL"],
        "שר החוץ של איראן איים על ישראל בתגובה נחרצת לכל תקיפה.",
    ),
    (
        INFLECTION,
        ["IL", "US"],
        "היצוא הביטחוני של ישראל לארצות הברית הגיע לשיא של כל הזמנים.",
    ),
    (
        DEMONYM,
        ["JP"],
        "יצרניות הרכב היפניות דיווחו על ירידה במכירות זה החודש השני ברציפות.",
    ),
    (
        DATELINE,
        ["GB"],
        "לונדון - ראש ממשלת בריטניה הודיע על החמרת כללי ההגירה.",
    ),
    (
        INFLECTION,
        ["TR", "SY"],
        "טורקיה תקפה עמדות של מיליציות כורדיות בצפון סוריה.",
    ),
    (WORD_TRAP, [], "שני הנאשמים הודו באשמה במסגרת הסדר טיעון."),
    (WORD_TRAP, [], "מחירי בשר ההודו עלו ב-12% לקראת החגים."),
    (WORD_TRAP, [], "ירדן שועה כבש את שער הניצחון בדקה ה-90."),
    (NO_ENTITY, [], "הריבית על המשכנתאות ירדה מעט השבוע, כך לפי כמה בנקים."),
    (NO_ENTITY, [], "האלופה המכהנת הודחה בחצי הגמר בדו-קרב פנדלים."),
    (HEADLINE, ["IN", "PK"], "הודו ופקיסטן הסכימו על הפסקת אש לאחר עימותים בגבול"),
    (
        INFLECTION,
        ["FR", "DE"],
        "בצרפת ובגרמניה יצאו אלפים להפגין נגד העלאת גיל הפרישה.",
    ),
]

TEXTS["hi"] = [
    (
        DATELINE,
        ["KP", "KR"],
        "सियोल (रॉयटर्स) - दक्षिण कोरिया की सेना ने बताया कि उत्तर कोरिया ने समुद्र की ओर दो "
        "बैलिस्टिक मिसाइलें दागीं।",
    ),
    (
        NORTH_KOREA,
        ["KP"],
        "उत्तर कोरिया के नेता किम जोंग उन ने एक नई क्रूज मिसाइल के परीक्षण का निरीक्षण किया।",
    ),
    (
        NORTH_KOREA,
        ["KP", "RU"],
        "पश्चिमी खुफिया एजेंसियों के अनुसार हजारों उत्तर कोरियाई सैनिक रूस की ओर से लड़ रहे हैं।",
    ),
    (INFLECTION, ["KR"], "दक्षिण कोरिया का निर्यात मई में लगातार तीसरे महीने बढ़ा।"),
    (
        TWO_KOREAS,
        ["KP", "KR"],
        "उत्तर और दक्षिण कोरिया 1953 के युद्धविराम के बाद से तकनीकी रूप से अब भी युद्ध की स्थिति में हैं।",
    ),
    (
        DATELINE,
        ["RU", "UA"],
        "कीव (एपी) - रूस ने रात भर में यूक्रेन पर सौ से अधिक ड्रोन से हमला किया।",
    ),
    (
        HEADLINE,
        ["CN", "US"],
        "अमेरिकी शुल्कों के जवाब में चीन ने दुर्लभ धातुओं के निर्यात पर रोक लगाई",
    ),
    (
        ORG,
        [NATO, "DE"],
        "नाटो के रक्षा मंत्रियों ने सैन्य खर्च बढ़ाने के लिए जर्मनी की सराहना की।",
    ),
    (
        ORG,
        [EU, EC, "CN"],
        "यूरोपीय आयोग ने इलेक्ट्रिक कारों के लिए चीनी सब्सिडी की जांच शुरू की।",
    ),
    (
        ORG,
        [UN, UNSC, "IL", "LB"],
        "लेबनान पर इजरायली हवाई हमलों के बाद संयुक्त राष्ट्र सुरक्षा परिषद की आपात बैठक हुई।",
    ),
    (
        ORG,
        [WHO, "IN"],
        "विश्व स्वास्थ्य संगठन ने प्रकोप पर तेजी से काबू पाने के लिए भारत की प्रशंसा की।",
    ),
    (
        ORG,
        [IMF, WB, "LK"],
        "अंतरराष्ट्रीय मुद्रा कोष और विश्व बैंक ने श्रीलंका को नए कर्ज मंजूर किए।",
    ),
    (
        ORG,
        [WTO, "IN", "US"],
        "भारत ने अमेरिकी इस्पात शुल्क के खिलाफ विश्व व्यापार संगठन में शिकायत दर्ज कराई।",
    ),
    (
        ORG,
        [OPEC, "SA"],
        "सऊदी अरब के नेतृत्व वाले ओपेक प्लस ने उत्पादन में कटौती साल के अंत तक बढ़ा दी।",
    ),
    (
        ORG,
        [G20, "IN"],
        "भारत की अध्यक्षता में हुए जी20 शिखर सम्मेलन में संयुक्त घोषणापत्र पारित हुआ।",
    ),
    (
        ORG,
        [G7, "RU", "UA"],
        "जी7 देशों ने रूस की जब्त संपत्तियों से यूक्रेन को कर्ज देने पर सहमति जताई।",
    ),
    (
        INFLECTION,
        ["IR", "IL"],
        "ईरान के विदेश मंत्री ने इजरायल को कड़े जवाब की चेतावनी दी।",
    ),
    (DEMONYM, ["JP"], "जापानी कार निर्माताओं की बिक्री लगातार दूसरे महीने घटी।"),
    (
        DATELINE,
        ["GB"],
        "लंदन (पीटीआई) - ब्रिटेन के प्रधानमंत्री ने आव्रजन नियम सख्त करने की घोषणा की।",
    ),
    (
        INFLECTION,
        ["TR", "SY"],
        "तुर्की ने उत्तरी सीरिया में कुर्द लड़ाकों के ठिकानों पर बमबारी की।",
    ),
    (
        WORD_TRAP,
        [],
        "त्योहारों से पहले चीनी के दाम में दो रुपये प्रति किलो की बढ़ोतरी हुई।",
    ),
    (
        WORD_TRAP,
        [],
        "गन्ना किसानों ने बकाया भुगतान के लिए चीनी मिलों के बाहर धरना दिया।",
    ),
    (NO_ENTITY, [], "होम लोन की ब्याज दरों में इस सप्ताह मामूली गिरावट आई।"),
    (NO_ENTITY, [], "गत विजेता टीम सेमीफाइनल में पेनल्टी शूटआउट में हारकर बाहर हो गई।"),
    (HEADLINE, ["IN", "PK"], "भारत और पाकिस्तान सीमा पर झड़पों के बाद संघर्षविराम पर सहमत"),
    (
        INFLECTION,
        ["US", "IN"],
        "अमेरिका और भारत के बीच व्यापार समझौते पर अगले सप्ताह बातचीत होगी।",
    ),
    (
        INFLECTION,
        ["NP", "CN"],
        "नेपाल ने चीन के साथ नए सीमा व्यापार मार्ग खोलने पर समझौता किया।",
    ),
]

TEXTS["id"] = [
    (
        DATELINE,
        ["KP", "KR"],
        "SEOUL (Antara) - Korea Utara menembakkan dua rudal balistik ke laut, kata Kepala "
        "Staf Gabungan Korea Selatan.",
    ),
    (
        NORTH_KOREA,
        ["KP"],
        "Pemimpin Korea Utara Kim Jong Un mengawasi uji coba rudal jelajah baru.",
    ),
    (
        NORTH_KOREA,
        ["KP", "RU"],
        "Ribuan tentara Korea Utara bertempur di pihak Rusia, menurut dinas intelijen Barat.",
    ),
    (
        INFLECTION,
        ["KR"],
        "Ekspor Korea Selatan naik selama tiga bulan berturut-turut pada Mei.",
    ),
    (
        TWO_KOREAS,
        ["KP", "KR"],
        "Korea Utara dan Korea Selatan secara teknis masih berperang sejak gencatan senjata 1953.",
    ),
    (
        DATELINE,
        ["RU", "UA"],
        "KYIV (Antara) - Rusia menyerang Ukraina dengan lebih dari seratus drone semalam, "
        "kata angkatan udara Ukraina.",
    ),
    (HEADLINE, ["CN", "US"], "China balas tarif AS dengan pembatasan ekspor logam tanah jarang"),
    (
        ORG,
        [NATO, "DE"],
        "Para menteri pertahanan NATO memuji Jerman karena menaikkan belanja militer.",
    ),
    (
        ORG,
        [EU, EC, "CN"],
        "Komisi Eropa membuka penyelidikan atas subsidi China untuk mobil listrik.",
    ),
    (
        ORG,
        [UN, UNSC, "IL", "LB"],
        "Dewan Keamanan PBB menggelar sidang darurat setelah serangan udara Israel di Lebanon.",
    ),
    (
        ORG,
        [WHO, "IN"],
        "Organisasi Kesehatan Dunia (WHO) memuji India atas penanganan cepat wabah tersebut.",
    ),
    (
        ORG,
        [IMF, WB, "LK"],
        "Dana Moneter Internasional (IMF) dan Bank Dunia menyetujui pinjaman baru untuk Sri Lanka.",
    ),
    (
        ORG,
        [WTO, "ID", EU],
        "Indonesia kalah dalam sengketa larangan ekspor bijih nikel melawan Uni Eropa di "
        "Organisasi Perdagangan Dunia (WTO).",
    ),
    (
        ORG,
        [OPEC, "SA"],
        "OPEC+ yang dipimpin Arab Saudi memperpanjang pemangkasan produksi hingga akhir tahun.",
    ),
    (
        ORG,
        [ASEAN, "MM", "ID"],
        "Para menteri luar negeri ASEAN mendesak junta Myanmar menghentikan kekerasan, kata "
        "Menlu Indonesia.",
    ),
    (ORG, [G20, "BR", "ZA"], "Brasil menyerahkan presidensi G20 kepada Afrika Selatan."),
    (
        INFLECTION,
        ["IR", "IL"],
        "Menteri Luar Negeri Iran memperingatkan Israel akan adanya balasan tegas.",
    ),
    (
        DEMONYM,
        ["JP"],
        "Produsen mobil Jepang mencatat penurunan penjualan untuk bulan kedua berturut-turut.",
    ),
    (
        DATELINE,
        ["GB"],
        "LONDON (Antara) - Pemerintah Inggris akan memperketat aturan imigrasi, kata perdana "
        "menteri.",
    ),
    (INFLECTION, ["TR", "SY"], "Turki membombardir posisi milisi Kurdi di Suriah utara."),
    (
        WORD_TRAP,
        [],
        "Negara-negara Amerika Latin sepakat memperkuat kerja sama perdagangan di kawasan.",
    ),
    (
        WORD_TRAP,
        [],
        "Sepatu yang dipakai Michael Jordan di final 1998 terjual dengan harga rekor dalam lelang.",
    ),
    (
        NO_ENTITY,
        [],
        "Suku bunga kredit pemilikan rumah turun tipis pekan ini, menurut sejumlah bank.",
    ),
    (NO_ENTITY, [], "Juara bertahan tersingkir di semifinal lewat adu penalti."),
    (
        HEADLINE,
        ["IN", "PK"],
        "India dan Pakistan sepakati gencatan senjata usai bentrokan perbatasan",
    ),
    (
        INFLECTION,
        ["ID", "MY"],
        "Indonesia dan Malaysia sepakat mempercepat perundingan batas laut.",
    ),
    (
        DEMONYM,
        ["CN", "PH"],
        "Kapal penjaga pantai China menembakkan meriam air ke kapal Filipina di Laut China "
        "Selatan.",
    ),
]

TEXTS["ja"] = [
    (
        DATELINE,
        ["KP", "KR"],
        "【ソウル共同】韓国軍合同参謀本部によると、北朝鮮は日本海に向けて弾道ミサイル2発を"
        "発射した。",
    ),
    (NORTH_KOREA, ["KP"], "北朝鮮の金正恩総書記が新型巡航ミサイルの発射実験を視察した。"),
    (
        NORTH_KOREA,
        ["KP", "RU"],
        "西側の情報機関によると、数千人の北朝鮮兵がロシア側で戦闘に参加している。",
    ),
    (INFLECTION, ["KR"], "韓国の5月の輸出は3カ月連続で増加した。"),
    (
        TWO_KOREAS,
        ["KP", "KR"],
        "韓国と北朝鮮は1953年の休戦協定以降も法的には戦争状態にある。",
    ),
    (
        DATELINE,
        ["RU", "UA"],
        "【キーウ共同】ウクライナ空軍によると、ロシアは夜間に100機以上の無人機でウクライナを"
        "攻撃した。",
    ),
    (HEADLINE, ["CN", "US"], "中国、米関税に対抗しレアアース輸出を規制"),
    (
        ORG,
        [NATO, "DE"],
        "北大西洋条約機構（NATO）の国防相会合で、ドイツの国防費増額が評価された。",
    ),
    (
        ORG,
        [EU, EC, "CN"],
        "欧州連合（EU）の欧州委員会は中国製電気自動車への補助金について調査を開始した。",
    ),
    (
        ORG,
        [UN, UNSC, "IL", "LB"],
        "国連安全保障理事会は、イスラエルによるレバノン空爆を受けて緊急会合を開いた。",
    ),
    (
        ORG,
        [WHO, "IN"],
        "世界保健機関（WHO）は、感染拡大を迅速に抑えたインドを評価した。",
    ),
    (
        ORG,
        [IMF, WB, "LK"],
        "国際通貨基金（IMF）と世界銀行はスリランカへの新たな融資を承認した。",
    ),
    (
        ORG,
        [WTO, "JP", "CN"],
        "日本政府は中国の輸出規制を世界貿易機関（WTO）に提訴した。",
    ),
    (
        ORG,
        [OPEC, "SA"],
        "サウジアラビア主導の石油輸出国機構（OPEC）プラスは、減産を年末まで延長した。",
    ),
    (
        ORG,
        [G7, "RU", "UA"],
        "先進7カ国（G7）首脳は、凍結したロシア資産をウクライナ支援に活用することで合意した。",
    ),
    (
        ORG,
        [ASEAN, "MM"],
        "東南アジア諸国連合（ASEAN）外相会議は、ミャンマー軍事政権に暴力の停止を求めた。",
    ),
    (
        INFLECTION,
        ["IR", "IL"],
        "イラン外相は、イスラエルが攻撃すれば断固として対応すると警告した。",
    ),
    (DEMONYM, ["CN"], "中国人観光客の数が前年比で倍増した。"),
    (HEADLINE, ["GB"], "英政府、移民規制を強化へ"),
    (INFLECTION, ["TR", "SY"], "トルコ軍はシリア北部のクルド人勢力の拠点を空爆した。"),
    (WORD_TRAP, [], "トルコ石をあしらったペンダントが競売で高値で落札された。"),
    (WORD_TRAP, ["JP"], "気象庁によると、西日本の中国地方では記録的な大雨となった。"),
    (NO_ENTITY, [], "住宅ローン金利は今週、わずかに低下した。"),
    (NO_ENTITY, [], "前回王者は準決勝でPK戦の末に敗れた。"),
    (HEADLINE, ["IN", "PK"], "インドとパキスタン、国境での衝突後に停戦で合意"),
    (INFLECTION, ["KR", "JP"], "韓国の大統領と日本の首相が会談し、関係改善で一致した。"),
    (INFLECTION, ["US"], "アメリカの雇用統計は市場予想を上回った。"),
]

TEXTS["ko"] = [
    (
        DATELINE,
        ["KP", "KR"],
        "【서울=연합뉴스】 북한이 동해상으로 탄도미사일 2발을 발사했다고 한국 합동참모본부가 "
        "밝혔다.",
    ),
    (
        NORTH_KOREA,
        ["KP"],
        "북한 김정은 국무위원장이 신형 순항미사일 시험발사를 참관했다고 조선중앙통신이 보도했다.",
    ),
    (
        NORTH_KOREA,
        ["KP", "RU"],
        "서방 정보당국에 따르면 북한군 수천 명이 러시아 편에서 전투에 참가하고 있다.",
    ),
    (INFLECTION, ["KR"], "한국의 5월 수출이 3개월 연속 증가했다."),
    (
        TWO_KOREAS,
        ["KP", "KR"],
        "남북한은 1953년 정전협정 이후 법적으로 여전히 전쟁 상태에 있다.",
    ),
    (
        DATELINE,
        ["RU", "UA"],
        "【키이우=AP】 러시아가 밤사이 100대 이상의 드론으로 우크라이나를 공격했다고 "
        "우크라이나 공군이 밝혔다.",
    ),
    (HEADLINE, ["CN", "US"], "중국, 미국 관세에 희토류 수출 통제로 맞대응"),
    (INFLECTION, [NATO, "DE"], "나토가 국방비를 대폭 늘린 독일을 높이 평가했다."),
    (
        ORG,
        [EU, EC, "CN"],
        "유럽연합(EU) 집행위원회가 중국산 전기차 보조금에 대한 조사에 착수했다.",
    ),
    (
        ORG,
        [UN, UNSC, "IL", "LB"],
        "유엔 안전보장이사회는 이스라엘의 레바논 공습과 관련해 긴급회의를 열었다.",
    ),
    (
        ORG,
        [WHO, "IN"],
        "세계보건기구(WHO)는 감염 확산을 신속히 막은 인도를 높이 평가했다.",
    ),
    (
        ORG,
        [IMF, WB, "LK"],
        "국제통화기금(IMF)과 세계은행이 스리랑카에 대한 추가 지원을 승인했다.",
    ),
    (
        ORG,
        [WTO, "KR", "JP"],
        "한국 정부는 일본의 수출 규제를 세계무역기구(WTO)에 제소했다.",
    ),
    (
        ORG,
        [OPEC, "SA"],
        "사우디아라비아가 주도하는 석유수출국기구(OPEC) 플러스는 감산을 연말까지 연장했다.",
    ),
    (
        ORG,
        [G7, "RU", "UA"],
        "주요 7개국(G7) 정상들은 동결된 러시아 자산을 우크라이나 지원에 활용하기로 합의했다.",
    ),
    (
        INFLECTION,
        ["IR", "IL"],
        "이란 외무장관은 이스라엘이 공격하면 단호히 대응하겠다고 경고했다.",
    ),
    (INFLECTION, ["CN", "JP"], "중국은 일본산 수산물 수입을 재개했다."),
    (HEADLINE, ["GB"], "영국 정부, 이민 규제 강화 발표"),
    (DEMONYM, ["JP"], "지난달 일본인 관광객 수가 1년 전보다 두 배로 늘었다."),
    (
        INFLECTION,
        ["TR", "SY"],
        "튀르키예군이 시리아 북부의 쿠르드 민병대 거점을 공습했다.",
    ),
    (WORD_TRAP, [], "차량이 인도로 돌진해 보행자 2명이 다쳤다."),
    (WORD_TRAP, [], "두 나라는 범죄인 인도 조약을 체결하기로 했다."),
    (INFLECTION, ["IN"], "인도 정부는 쌀 수출 제한을 완화했다."),
    (NO_ENTITY, [], "주택담보대출 금리가 이번 주 소폭 하락했다."),
    (NO_ENTITY, [], "디펜딩 챔피언이 준결승에서 승부차기 끝에 탈락했다."),
    (HEADLINE, ["IN", "PK"], "인도·파키스탄, 국경 충돌 후 휴전 합의"),
    (INFLECTION, ["KR", "US"], "한국은 미국과의 관세 협상에서 합의에 이르렀다."),
    (INFLECTION, ["KR", NATO], "한국 대통령이 나토 정상회의에 참석한다."),
]

# Chinese: simplified (mainland style) and traditional (Taiwan and Hong Kong style) texts,
# each with the names its press uses (朝鲜 / 北韓, 韩国 / 南韓, 东盟 / 東協 ...).
ZH_HANS: list[Case] = [
    (
        DATELINE,
        ["KP", "KR"],
        "新华社首尔3月4日电 据韩国联合参谋本部消息，朝鲜当天向半岛东部海域发射两枚弹道导弹。",
    ),
    (NORTH_KOREA, ["KP"], "朝鲜最高领导人金正恩视察了新型巡航导弹试射。"),
    (NORTH_KOREA, ["KP", "RU"], "据西方情报机构称，数千名朝鲜士兵正在俄罗斯一方参战。"),
    (INFLECTION, ["KR"], "韩国5月出口连续第三个月增长。"),
    (HEADLINE, ["CN", "US"], "中美经贸磋商在日内瓦举行"),
    (HEADLINE, ["RU", "UA"], "俄乌冲突：俄罗斯夜间出动百余架无人机袭击乌克兰"),
    (ORG, [NATO, "DE"], "北约国防部长会议赞扬德国大幅增加军费。"),
    (ORG, [EU, "CN"], "欧盟对中国电动汽车展开反补贴调查。"),
    (ORG, [UN, UNSC, "IL", "LB"], "联合国安理会就以色列空袭黎巴嫩召开紧急会议。"),
    (ORG, [WHO, "IN"], "世界卫生组织赞扬印度迅速控制疫情。"),
    (ORG, [IMF, WB, "LK"], "国际货币基金组织和世界银行批准向斯里兰卡提供新贷款。"),
    (ORG, [ASEAN, "CN"], "中国与东盟完成自贸区3.0版升级谈判。"),
    (ORG, [G20, "BR", "ZA"], "巴西将二十国集团轮值主席国职务移交南非。"),
    (WORD_TRAP, ["ID"], "印度尼西亚央行宣布降息25个基点。"),
    (WORD_TRAP, ["CN"], "中国吉林省延边朝鲜族自治州遭遇强降雨。"),
    (NO_ENTITY, [], "本周房贷利率小幅下降。"),
    (TWO_KOREAS, ["KP", "KR"], "朝韩两国自1953年停战以来在法律上仍处于战争状态。"),
    (DEMONYM, ["CN", "US"], "中方表示，美方应立即停止对华加征关税。"),
]

ZH_HANT: list[Case] = [
    (
        DATELINE,
        ["KP", "KR"],
        "（中央社首爾4日綜合外電報導）南韓聯合參謀本部表示，北韓今天朝東部海域發射兩枚彈道飛彈。",
    ),
    (NORTH_KOREA, ["KP"], "北韓領導人金正恩視察新型巡弋飛彈試射。"),
    (NORTH_KOREA, ["KP", "RU"], "西方情報機構指出，數千名北韓士兵正在為俄羅斯作戰。"),
    (INFLECTION, ["KR"], "南韓5月出口連續第3個月成長。"),
    (HEADLINE, ["US", "CN", "TW"], "美中貿易戰升溫 台灣半導體出口創新高"),
    (ORG, [NATO, "UA"], "北約秘書長表示，將持續支持烏克蘭。"),
    (ORG, [EU, "CN"], "歐盟決定對中國製電動車課徵反補貼稅。"),
    (ORG, [UN, UNSC, "IL", "LB"], "聯合國安理會就以色列空襲黎巴嫩召開緊急會議。"),
    (ORG, [WHO, "TW"], "台灣今年仍未獲邀出席世界衛生組織年會。"),
    (ORG, [OPEC, "SA"], "沙烏地阿拉伯主導的OPEC+決定將減產延長至年底。"),
    (ORG, [G7, "RU", "UA"], "七國集團外長發表聲明，譴責俄羅斯對烏克蘭的攻擊。"),
    (INFLECTION, ["HK"], "香港恒生指數今天收高2%。"),
    (WORD_TRAP, ["KP"], "北韓今天向日本海發射一枚短程彈道飛彈。"),
    (NO_ENTITY, [], "颱風預計明天清晨登陸，氣象單位發布海上警報。"),
    (HEADLINE, ["IN", "PK"], "印度與巴基斯坦同意停火"),
    (TWO_KOREAS, ["KP", "KR"], "南北韓領導人可望於下月在板門店舉行峰會。"),
]

TEXTS["zh"] = [*ZH_HANS, *ZH_HANT]
SCRIPTS = {"zh": [*(["Hans"] * len(ZH_HANS)), *(["Hant"] * len(ZH_HANT))]}
"""The script of each text of a language written in more than one (ISO 15924)."""


def records() -> list[dict[str, object]]:
    """Every text as a JSON-ready record, in LANGUAGES order; ids are `<language><nn>`."""
    out: list[dict[str, object]] = []
    seen: set[str] = set()
    for language in LANGUAGES:
        scripts = SCRIPTS.get(language)
        for number, (category, labels, text) in enumerate(TEXTS[language], 1):
            if text in seen:
                raise SystemExit(f"{language}: the same text twice: {text!r}")
            seen.add(text)
            record: dict[str, object] = {
                "id": f"{language}{number:02d}",
                "text": text,
                "labels": sorted(set(labels)),
                "category": category,
                "source": "hand",
                "language": language,
            }
            if scripts is not None:
                record["script"] = scripts[number - 1]
            out.append(record)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--out", type=Path, default=OUT, help="file to write")
    out: Path = parser.parse_args(argv).out
    rows = records()
    lines = [json.dumps(record, ensure_ascii=False) for record in rows]
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {len(lines)} texts in {len(LANGUAGES)} languages to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
