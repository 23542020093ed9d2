"""Write `labelled_news.jsonl`, the labelled set `bench/gazetteer_eval.py` measures against.

    python bench/data/make_labelled_news.py

Each line is {"id", "text", "labels", "category", "source"}: `labels` is the set of
countries (ISO 3166-1 alpha-2 codes; XK for Kosovo), former states and organisations (their
canonical names) the text is ABOUT, as a reader would say, whatever words it uses. The
texts are short, invented news-style items written for this benchmark.

Two sources: `HAND` are written one by one, mostly hard cases (datelines, capitals used for
governments, the two Koreas, Georgia the US state, Turkey the bird ...), with the category
they test; `templated()` fills a few sentence patterns with the ways newsrooms write
country and organisation names (short names, adjectives, peoples, abbreviations, official
names), seeded so that the file is the same on every run. The forms in `COUNTRY_FORMS` and
`ORG_FORMS` are written from newsroom usage, not copied from the gazetteer, so the benchmark
can show what the gazetteer misses.

Labelling conventions (decided before measuring, applied to every text):
* A country is labelled when the text is about it or about something in it: its
  government, people, economy, a city in it ("floods in Paris" is France). A city or venue
  that is only where a meeting happens is not ("ASEAN ministers met in Vientiane").
* A word that only looks like a country ("guinea pig", "Michael Jordan", "Paris Hilton")
  labels nothing.
* An organ of an organisation also labels the organisation: the European Commission or
  Parliament labels the European Union; the UN Security Council, the ICJ, UNICEF, UNHCR
  and the other UN funds and programmes label the United Nations. Specialised agencies
  (WHO, IMF) do not, unless the text itself says "UN" ("the UN nuclear watchdog").
* "Brussels" meaning the EU labels the EU, not Belgium.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent / "labelled_news.jsonl"

UN = "United Nations"
EU = "European Union"

# (category, labels, text)
HAND: list[tuple[str, list[str], str]] = [
    # --- datelines
    (
        "dateline",
        ["KP", "KR"],
        "SEOUL (Reuters) - North Korea fired two short-range ballistic "
        "missiles into the sea on Thursday, South Korea's military said.",
    ),
    (
        "dateline",
        ["KR"],
        "SEOUL (Reuters) - Samsung Electronics expects its quarterly operating "
        "profit to fall by a third as memory chip prices slump.",
    ),
    (
        "dateline",
        ["US"],
        "WASHINGTON (AP) — The Senate passed a stopgap spending bill late "
        "Friday, averting a government shutdown hours before the deadline.",
    ),
    (
        "dateline",
        ["RU", "UA"],
        "MOSCOW, March 3 (Reuters) - The Kremlin said on Monday it saw "
        "no basis for new talks with Kyiv.",
    ),
    (
        "dateline",
        ["CN"],
        "BEIJING — China's exports grew faster than expected in May, customs "
        "data showed on Friday.",
    ),
    (
        "dateline",
        ["JP"],
        "TOKYO (Kyodo) -- Japanese automakers reported a sharp drop in domestic "
        "sales for the second month running.",
    ),
    (
        "dateline",
        ["KE"],
        "NAIROBI, Kenya (AP) — Heavy rains have displaced more than 100,000 "
        "people across the country, officials said.",
    ),
    (
        "dateline",
        ["UA"],
        "KYIV, Ukraine — Air raid sirens sounded across the capital overnight "
        "as waves of drones approached.",
    ),
    (
        "dateline",
        ["US"],
        "ATLANTA, Georgia (AP) — Georgia's secretary of state certified the "
        "election results on Friday.",
    ),
    (
        "dateline",
        ["GE"],
        "TBILISI, Georgia (Reuters) - Georgia's parliament passed the "
        "so-called foreign agents law despite mass protests.",
    ),
    (
        "dateline",
        ["FR"],
        "PARIS (AFP) - French prosecutors opened an investigation into the "
        "sale of the stolen painting.",
    ),
    (
        "dateline",
        ["IL"],
        "JERUSALEM (AP) — Israel's cabinet approved the ceasefire deal early "
        "Saturday after a six-hour meeting.",
    ),
    (
        "dateline",
        ["GB"],
        "LONDON, June 2 (Reuters) - British house prices fell for a third "
        "month in May, lender Nationwide said.",
    ),
    (
        "dateline",
        [EU],
        "BRUSSELS (Reuters) - EU finance ministers agreed on Tuesday to extend "
        "the sanctions for another six months.",
    ),
    (
        "dateline",
        ["World Health Organization"],
        "GENEVA (Reuters) - The World Health Organization declared the outbreak over on Monday.",
    ),
    (
        "dateline",
        ["International Criminal Court"],
        "THE HAGUE — Judges at the International "
        "Criminal Court issued an arrest warrant for the former militia leader.",
    ),
    (
        "dateline",
        ["PK", "International Monetary Fund"],
        "ISLAMABAD (Reuters) - Pakistan and the "
        "IMF reached a staff-level agreement on a $3 billion loan.",
    ),
    (
        "dateline",
        ["G20", "IN"],
        "NEW DELHI, Sept 9 (Reuters) - Leaders of the G20 adopted a joint "
        "declaration at the summit in the Indian capital.",
    ),
    (
        "dateline",
        ["CD"],
        "KINSHASA, Dec 20 (Reuters) - Congolese voters faced long queues as the "
        "presidential election got under way.",
    ),
    (
        "dateline",
        ["CG"],
        "BRAZZAVILLE (Reuters) - Congo Republic's president won another term, "
        "official results showed.",
    ),
    (
        "dateline",
        ["MX"],
        "MEXICO CITY (AP) — Mexico's president sent the judicial reform to Congress on Monday.",
    ),
    (
        "dateline",
        ["CA", "US"],
        "OTTAWA — Canada will impose retaliatory tariffs on $30 billion "
        "of U.S. goods, the finance minister said.",
    ),
    (
        "dateline",
        ["EG", "PS"],
        "CAIRO, Egypt (AP) — Egyptian mediators said talks over a Gaza "
        "ceasefire would resume on Sunday.",
    ),
    (
        "dateline",
        ["TR"],
        "ANKARA (Reuters) - Turkey's central bank held its key rate at 50% "
        "for a fourth straight meeting.",
    ),
    (
        "dateline",
        ["SA", "OPEC"],
        "RIYADH, Saudi Arabia — OPEC+ agreed to extend its output cuts into next year.",
    ),
    (
        "dateline",
        ["AU"],
        "CANBERRA, Australia (AP) — Australia's parliament passed a law "
        "banning children under 16 from social media.",
    ),
    (
        "dateline",
        ["VN"],
        "HANOI (Reuters) - Vietnam's exports jumped 14% in the first half of the year.",
    ),
    (
        "dateline",
        ["SN"],
        "DAKAR, Senegal — Senegal's new president pledged to renegotiate oil and gas contracts.",
    ),
    (
        "dateline",
        ["NE", "FR"],
        "NIAMEY (Reuters) - Niger's military rulers ordered French "
        "troops to leave by the end of the year.",
    ),
    (
        "dateline",
        ["NG"],
        "ABUJA, Nigeria (Reuters) - Nigeria's naira hit a record low against "
        "the dollar on Wednesday.",
    ),
    (
        "dateline",
        ["GN"],
        "CONAKRY (Reuters) - Guinea's junta set a date for a constitutional referendum.",
    ),
    (
        "dateline",
        ["PG"],
        "PORT MORESBY (Reuters) - Papua New Guinea declared a state of "
        "emergency after deadly riots in the capital.",
    ),
    (
        "dateline",
        ["DO", "HT"],
        "SANTO DOMINGO (AP) — The Dominican Republic began building a "
        "wall along its border with Haiti.",
    ),
    (
        "dateline",
        ["JO", "US"],
        "AMMAN, Jordan (AP) — Jordan's King Abdullah II met the U.S. "
        "secretary of state on Wednesday.",
    ),
    (
        "dateline",
        ["TD"],
        "N'DJAMENA (Reuters) - Chad's transitional president was declared the "
        "winner of the May election.",
    ),
    (
        "dateline",
        ["TW", "CN"],
        "TAIPEI (Reuters) - Taiwan reported 20 Chinese military aircraft "
        "near the island on Tuesday.",
    ),
    (
        "dateline",
        ["HK"],
        "HONG KONG (Reuters) - Hong Kong's Hang Seng index fell 2% as property stocks slid.",
    ),
    (
        "dateline",
        [],
        "SINGAPORE, Jan 10 (Reuters) - Oil prices edged higher in Asian trade on "
        "Wednesday as traders weighed supply risks.",
    ),
    (
        "dateline",
        ["AR"],
        "BUENOS AIRES (Reuters) - Argentina's monthly inflation slowed to 2.7% in October.",
    ),
    (
        "dateline",
        ["NG"],
        "LAGOS (Reuters) - Shell agreed to sell its onshore Nigerian oil "
        "business to a group of local firms.",
    ),
    # --- peoples and adjectives
    (
        "demonym",
        ["KR"],
        "South Koreans went to the polls on Wednesday in a parliamentary "
        "election seen as a referendum on the president.",
    ),
    (
        "demonym",
        ["GB"],
        "Britons will need an electronic travel authorisation before visiting "
        "most European countries from next year.",
    ),
    (
        "demonym",
        ["NL"],
        "The Dutch will hold a snap election in October after the coalition collapsed.",
    ),
    ("demonym", ["CH"], "Swiss voters narrowly rejected a proposal to expand the motorways."),
    (
        "demonym",
        ["PH", "CN"],
        "Filipino fishermen said Chinese coast guard vessels fired water cannon at their boats.",
    ),
    (
        "demonym",
        ["AE", "SA"],
        "Emirati and Saudi officials discussed oil output at a meeting on Sunday.",
    ),
    ("demonym", ["NZ"], "A group of Kiwi tourists was rescued from the mountain on Sunday."),
    (
        "demonym",
        ["AR", "CL"],
        "Argentine and Chilean firefighters battled the blaze along the border.",
    ),
    (
        "demonym",
        ["CI"],
        "Ivorian cocoa farmers are holding back beans in protest at the farmgate price.",
    ),
    (
        "demonym",
        ["BA"],
        "Bosnian Serb leader Milorad Dodik defied the court ruling again on Tuesday.",
    ),
    ("demonym", ["IQ"], "Kurdish fighters and Iraqi troops clashed near Kirkuk."),
    (
        "demonym",
        ["TH", "KH"],
        "Thai and Cambodian troops exchanged fire along the disputed border.",
    ),
    ("demonym", ["PK", "AU"], "Pakistani cricketers arrived in Australia for a three-test series."),
    ("demonym", ["NE", "ML"], "Nigerien soldiers repelled an attack near the border with Mali."),
    (
        "demonym",
        ["NG", "NE"],
        "Nigerian and Nigerien officials met to discuss reopening the border.",
    ),
    ("demonym", ["CY"], "Greek and Turkish Cypriots will resume reunification talks next month."),
    ("demonym", ["AS"], "American Samoa's governor declared an emergency after the cyclone."),
    ("demonym", ["IN"], "Indian officials said the monsoon arrived a week early."),
    ("demonym", ["TW"], "Chinese Taipei finished third in the medal table."),
    ("demonym", ["LK", "MV"], "Sri Lankan and Maldivian officials discussed debt relief."),
    ("demonym", ["US"], "Anti-American protests spread after the embassy statement."),
    ("demonym", ["GB"], "Welsh farmers drove their tractors to Cardiff to protest new rules."),
    ("demonym", ["HK"], "Hong Kongers queued for hours to renew their passports."),
    ("demonym", ["PS"], "Gazans queued for hours for bread as aid trucks stalled."),
    ("demonym", ["SA", "AE"], "Saudi and Emirati forces withdrew from the port city."),
    ("demonym", ["GB", "IE"], "Irish and British officials met in Belfast on Thursday."),
    # --- regions
    (
        "region",
        ["CO"],
        "Latin American leaders gathered in Bogotá, where the Colombian "
        "president hosted a summit on drug policy.",
    ),
    ("region", [], "South American countries agreed to share data on Amazon deforestation."),
    ("region", [], "North American markets were closed for the holiday."),
    ("region", [], "Central American migrants waited for days at the border crossing."),
    ("region", [], "Indian Ocean island nations demanded more climate finance."),
    ("region", [], "Latin America's largest economies are slowing, the report said."),
    ("region", ["US"], "Migration from Central America to the United States fell sharply."),
    ("region", [], "Tensions in the Middle East pushed oil prices higher."),
    ("region", [], "The Balkans face a wave of emigration as young people leave."),
    ("region", [], "Drought in the Horn of Africa has left 20 million people hungry."),
    ("region", [], "The Indian subcontinent is sweltering in an early heatwave."),
    (
        "region",
        ["CN"],
        "Southeast Asian nations are divided over how to respond to Beijing's "
        "claims in the South China Sea.",
    ),
    ("region", [], "West African leaders met to discuss the crisis."),
    ("region", [], "The Gulf states pledged $10bn for reconstruction."),
    ("region", [], "Europe's gas prices fell to a three-year low."),
    ("region", [], "Piracy in the Gulf of Guinea fell to its lowest level in decades."),
    ("region", [], "The rainforests of New Guinea are home to hundreds of bird species."),
    ("region", [], "The Congo Basin rainforest absorbs more carbon than the Amazon."),
    ("region", [], "Oil output in the Gulf of Mexico was shut ahead of the storm."),
    # --- capitals standing for governments, and capitals as cities
    ("capital-metonym", ["US", "VE"], "Washington said it would impose new sanctions on Caracas."),
    ("capital-metonym", ["RU"], "Moscow's response to the drone attack was swift."),
    ("capital-metonym", ["CN", "TW"], "Beijing warned against any official contact with Taipei."),
    ("capital-metonym", ["IR", "RU"], "Tehran denied supplying drones to Moscow."),
    (
        "capital-metonym",
        ["GB", "IE"],
        "London and Dublin agreed a new framework for Northern Ireland.",
    ),
    ("capital-metonym", ["UA"], "Kyiv says it shot down 40 drones overnight."),
    ("capital-metonym", ["KP", "KR"], "Pyongyang has ignored Seoul's offers of talks."),
    ("capital-metonym", [EU], "Brussels wants member states to cut their gas use by 15%."),
    (
        "capital-metonym",
        ["TR", "GR"],
        "Ankara and Athens agreed to reopen talks on maritime boundaries.",
    ),
    (
        "capital-metonym",
        ["IN", "PK"],
        "New Delhi and Islamabad traded accusations after the attack.",
    ),
    (
        "capital-metonym",
        ["SA", "IR", "CN"],
        "Riyadh and Tehran restored diplomatic ties in a deal brokered by Beijing.",
    ),
    ("capital-metonym", ["RU"], "The Kremlin dismissed the report as fake."),
    ("capital-metonym", ["US"], "The White House said the president would veto the bill."),
    ("capital-metonym", ["GB"], "Downing Street declined to comment on the leaked memo."),
    ("capital-metonym", ["RU"], "Post-Soviet states in Central Asia are wary of Moscow."),
    ("capital-metonym", [UN, "LY"], "The UN-backed government in Tripoli rejected the plan."),
    (
        "capital-metonym",
        ["International Committee of the Red Cross", "SD"],
        "The Red Cross said it had lost contact with its staff in Khartoum.",
    ),
    ("capital-city", ["RU"], "Heavy snow closed schools across Moscow on Monday."),
    ("capital-city", ["FR"], "A heatwave sent temperatures in Paris above 40C."),
    ("capital-city", ["JP"], "Tokyo's stock market hit a record high."),
    ("capital-city", ["CN"], "Beijing's air quality improved sharply this winter."),
    ("capital-city", ["GE"], "Soviet-era apartment blocks dominate the skyline of Tbilisi."),
    ("capital-city", ["TL", "ID"], "East Timor's president visited Jakarta on Monday."),
    (
        "capital-trap",
        ["KE"],
        "The Washington Post reported that Kenyan police detained the activist.",
    ),
    ("capital-trap", [], "Paris Hilton launched a new fragrance on Tuesday."),
    ("capital-trap", [], "Denzel Washington will star in a new film about a jazz musician."),
    ("capital-trap", ["US"], "Students at the University of Idaho in Moscow, Idaho, held a vigil."),
    (
        "capital-trap",
        ["ES"],
        "The Santiago de Compostela pilgrim route in northern Spain drew "
        "record numbers of walkers.",
    ),
    ("capital-trap", ["US"], "Lima, Ohio, will host the state fair."),
    ("capital-trap", ["US"], "Athens, Georgia, is home to the University of Georgia."),
    ("capital-trap", ["AU"], "Officials in Victoria, Australia, announced a snap lockdown."),
    (
        "capital-trap",
        ["GB"],
        "Kingston upon Thames council in south-west London approved the plan.",
    ),
    (
        "capital-trap",
        ["NL", "IL"],
        "The Hague appeals court ordered the Dutch state to halt F-35 parts exports to Israel.",
    ),
    ("capital-trap", ["US", "CN"], "U.S.-China trade talks resumed in Stockholm."),
    (
        "capital-trap",
        ["OPEC"],
        "The Organization of the Petroleum Exporting Countries meets in Vienna on Sunday.",
    ),
    (
        "capital-trap",
        ["FM", "US"],
        "The Federated States of Micronesia renewed its compact with Washington.",
    ),
    # --- capitals that are not the story: organisations' home cities, treaties, people
    (
        "dateline-elsewhere",
        ["International Monetary Fund"],
        "WASHINGTON (Reuters) - The IMF cut its global growth forecast to 2.8%.",
    ),
    (
        "dateline-elsewhere",
        ["World Bank", "UA"],
        "WASHINGTON, April 16 (Reuters) - The World Bank approved a $1.5 billion loan for Ukraine.",
    ),
    (
        "dateline-elsewhere",
        ["AR", "International Monetary Fund"],
        "WASHINGTON (Reuters) - Argentina reached a new $20 billion agreement with the IMF.",
    ),
    (
        "dateline-elsewhere",
        ["NATO", "UA"],
        "BRUSSELS (Reuters) - NATO defence ministers "
        "agreed on Thursday to step up air defences for Ukraine.",
    ),
    (
        "dateline-elsewhere",
        ["European Commission", EU, "CN"],
        "BRUSSELS — The European "
        "Commission opened an investigation into Chinese electric car subsidies.",
    ),
    (
        "dateline-elsewhere",
        ["International Atomic Energy Agency", "IR"],
        "VIENNA (Reuters) - The IAEA's board of governors passed a resolution against Iran.",
    ),
    (
        "dateline-elsewhere",
        ["OPEC"],
        "VIENNA, June 1 (Reuters) - OPEC+ agreed to extend its output cuts.",
    ),
    (
        "dateline-elsewhere",
        ["OECD"],
        "PARIS (Reuters) - The OECD raised its global growth forecast on Tuesday.",
    ),
    (
        "dateline-elsewhere",
        ["Food and Agriculture Organization"],
        "ROME (Reuters) - The Food "
        "and Agriculture Organization said world food prices rose in March.",
    ),
    (
        "dateline-elsewhere",
        ["African Union", "SD"],
        "ADDIS ABABA (Reuters) - The African Union called for a ceasefire in Sudan.",
    ),
    (
        "dateline-elsewhere",
        [],
        "LONDON (Reuters) - Oil prices rose more than 2% on Monday as Middle East tensions flared.",
    ),
    ("dateline-elsewhere", [], "LONDON, Feb 3 (Reuters) - Gold hit a record high on Monday."),
    (
        "dateline-elsewhere",
        ["International Court of Justice", UN, "ZA", "IL"],
        "THE HAGUE "
        "(Reuters) - The International Court of Justice will rule on Friday in the case South "
        "Africa brought against Israel.",
    ),
    (
        "capital-trap",
        [],
        "The Paris Agreement commits countries to limit warming to well below 2C.",
    ),
    ("capital-trap", ["UA", "RU"], "Ukraine and Russia never implemented the Minsk agreements."),
    ("capital-trap", [], "Diplomats are protected under the Vienna Convention."),
    ("capital-trap", [], "The Moscow Mule is back in fashion at cocktail bars."),
    ("capital-trap", [], "Brussels sprouts prices soared after a poor harvest."),
    ("capital-trap", [], "Victoria Beckham launched a new fashion line."),
    ("capital-trap", ["CA"], "Kingston, Ontario, declared a snow emergency."),
    (
        "capital-trap",
        ["LB"],
        "The Tripoli neighbourhood of Bab al-Tabbaneh in northern Lebanon saw clashes overnight.",
    ),
    ("capital-city", ["US"], "Washington state lawmakers passed a climate bill."),
    ("capital-city", ["CN"], "The Beijing Olympics opened with a spectacular ceremony."),
    ("capital-city", ["DE"], "A Berlin-based startup raised $50 million."),
    ("capital-city", ["IE"], "Dublin Airport handled a record 32 million passengers."),
    # --- possessives, hyphens, punctuation
    ("possessive", ["RU"], "Russia’s central bank raised its key rate to 21%."),
    (
        "possessive",
        ["KR"],
        "Korea's exports rose 8% in June, led by semiconductors, the trade ministry in Seoul said.",
    ),
    ("possessive", ["GB", "FR"], "Britain's and France's leaders will co-host the conference."),
    ("possessive", ["PH"], "The Philippines' coast guard said it would keep patrolling the shoal."),
    ("possessive", ["JP"], "japan's nikkei hits record high"),
    ("hyphenation", ["FR", "DE"], "Franco-German relations are at a low point, diplomats say."),
    ("hyphenation", ["CN", "JP"], "Sino-Japanese tensions flared over the disputed islands."),
    ("hyphenation", ["RU", "UA"], "The Russia-Ukraine war entered its fourth year."),
    ("hyphenation", ["IN", "PK"], "Indo-Pakistani talks collapsed after the shelling."),
    ("hyphenation", ["IL", "PS"], "The Israel–Hamas ceasefire in Gaza held for a second day."),
    ("hyphenation", ["KR", "JP"], "South-Korean and Japanese officials met in Seoul."),
    (
        "hyphenation",
        ["US", "AM", "AZ"],
        "A US-brokered deal between Armenia and Azerbaijan was signed at the White House.",
    ),
    ("hyphenation", ["US"], "The un-American activities committee was formed in 1938."),
    ("hyphenation", [UN, "LB"], "U.N. peacekeepers came under fire in southern Lebanon."),
    # --- all-caps headlines
    ("all-caps", ["KR", "JP"], "SOUTH KOREA, JAPAN AGREE TO SHARE MISSILE WARNING DATA"),
    ("all-caps", ["GB"], "UK INFLATION FALLS TO 2.3%"),
    ("all-caps", ["NATO", "UA"], "NATO ALLIES PLEDGE MORE AIR DEFENCE FOR UKRAINE"),
    ("all-caps", ["World Health Organization"], "WHO DECLARES MPOX A GLOBAL HEALTH EMERGENCY"),
    ("all-caps", ["GB"], "WHO WILL LEAD BRITAIN'S CONSERVATIVES?"),
    ("all-caps", ["PL", "UA"], "POLISH FARMERS BLOCK BORDER WITH UKRAINE"),
    ("all-caps", ["US"], "US STOCKS RALLY AS FED SIGNALS CUTS"),
    ("all-caps", [], "TELL US WHAT YOU THINK ABOUT THE NEW APP"),
    ("all-caps", ["CN"], "CHINA'S ECONOMY GREW 5.2% LAST YEAR"),
    ("all-caps", [EU, "Mercosur"], "EU AND MERCOSUR SEAL TRADE DEAL AFTER 25 YEARS"),
    ("all-caps", ["IR"], "IRAN SAYS IT WILL ENRICH URANIUM TO 90%"),
    ("all-caps", ["NL"], "THE DUTCH ELECT A NEW PARLIAMENT"),
    # --- line breaks
    ("line-break", ["KR"], "Officials in South\nKorea confirmed the first case."),
    ("line-break", ["US", "MX"], "The deal between the United\nStates and Mexico was signed."),
    ("line-break", ["CD"], "Talks with the Democratic Republic of the\nCongo broke down."),
    (
        "line-break",
        ["KP", "United Nations Security Council", UN],
        "New sanctions on North\nKorea were approved by the UN Security\nCouncil.",
    ),
    (
        "line-break",
        ["PK"],
        "Flooding in Pakistan\n\nMore than 1,000 people died as monsoon rains swept the country.",
    ),
    # --- lower case
    ("lowercase", ["KR"], "breaking: south korea's president declares martial law"),
    ("lowercase", ["NATO"], "nato to boost troops in the baltics, says chief"),
    ("lowercase", ["US", "CN"], "us and china agree to pause tariffs for 90 days"),
    ("lowercase", [UN, "PS"], "un says gaza aid deliveries have collapsed"),
    ("lowercase", [EU], "eu fines apple over app store rules"),
    ("lowercase", ["World Health Organization", "SD"], "who warns of cholera surge in sudan"),
    ("lowercase", ["UA", "RU"], "ukraine says russian drones hit kyiv overnight"),
    # --- "UN"/"un", "US"/"us", "NATO"/"Nato"
    ("case", [], "Fans chanted 'un, deux, trois' as the team took the field."),
    ("case", [], "Let us be clear: the project is over budget."),
    ("case", [], "Join us for a live Q&A with the author on Thursday."),
    ("case", ["US"], "The US Navy sent a second carrier to the region."),
    ("case", ["NATO"], "Nato's secretary general urged allies to spend more on defence."),
    ("case", ["NATO"], "The North Atlantic Treaty Organization marked its 75th anniversary."),
    ("case", [], "The senators discussed the defence budget behind closed doors."),
    ("case", [UN, "UN Secretary-General"], "Who will be the next UN secretary-general?"),
    # --- the two Koreas
    (
        "two-koreas",
        ["KR", "KP"],
        "The two Koreas remain technically at war because the 1950-53 conflict ended in a truce.",
    ),
    (
        "two-koreas",
        ["KR", "KP"],
        "Inter-Korean talks were held at the border village of Panmunjom.",
    ),
    ("two-koreas", ["KR", "KP"], "North and South Korea marched together at the opening ceremony."),
    (
        "two-koreas",
        ["KR", "KP", UN],
        "The Republic of Korea and the Democratic People's Republic "
        "of Korea both joined the UN in 1991.",
    ),
    ("two-koreas", ["KR"], "Korean pop group BTS, from Seoul, announced a world tour."),
    ("two-koreas", ["KR", "KP"], "The Korean War armistice was signed in 1953."),
    ("two-koreas", ["KP"], "North Korean hackers stole $1.5 billion from a crypto exchange."),
    ("two-koreas", ["KP"], "DPRK state media said the leader inspected a missile factory."),
    ("two-koreas", ["KR"], "ROK Marines held a live-fire drill near the border island."),
    ("two-koreas", ["KR"], "S.Korea's inflation eased in May."),
    ("two-koreas", ["KP"], "N. Korea tested a hypersonic missile."),
    ("two-koreas", ["KP", "RU"], "Pyongyang sent troops to help Russia, Seoul's spy agency said."),
    # --- Georgia
    (
        "georgia",
        ["GE"],
        "Georgia's ruling party claimed victory in the parliamentary "
        "election, sparking protests in Tbilisi.",
    ),
    (
        "georgia",
        ["US"],
        "Voters in Georgia head to the polls on Tuesday for a Senate runoff "
        "that will decide control of the chamber.",
    ),
    ("georgia", ["US"], "The Georgia Senate passed a bill restricting absentee voting."),
    (
        "georgia",
        ["US"],
        "Hurricane Helene knocked out power to a million homes in Georgia and the Carolinas.",
    ),
    ("georgia", ["RU", "GE"], "Russia and Georgia fought a five-day war in 2008."),
    (
        "georgia",
        ["GE", EU],
        "Georgian Dream's leader said the country would not seek to join the EU before 2028.",
    ),
    ("georgia", ["US"], "Georgia Tech researchers in Atlanta unveiled a new battery design."),
    ("georgia", ["US"], "Atlanta, Georgia, will host a World Cup semi-final."),
    ("georgia", ["GS", "FK"], "South Georgia's fisheries are managed from the Falklands."),
    (
        "georgia",
        ["GE", EU],
        "The EU granted Georgia candidate status, prompting celebrations "
        "on the streets of Tbilisi.",
    ),
    ("georgia", ["US"], "Georgia Governor Brian Kemp signed the state budget on Monday."),
    # --- Guinea and its neighbours
    ("guinea", ["PG"], "Papua New Guinea's prime minister survived a no-confidence vote."),
    (
        "guinea",
        ["GQ", "FR"],
        "Equatorial Guinea's vice-president was sentenced in absentia in France.",
    ),
    ("guinea", ["GW"], "Guinea-Bissau's president dissolved parliament."),
    ("guinea", ["GN"], "Guinea's bauxite exports rose after the mining ban was lifted."),
    ("guinea", [], "Scientists used guinea pigs to test the vaccine."),
    ("guinea", ["GN", "GW"], "Guinea and Guinea-Bissau signed a border agreement."),
    ("guinea", ["PG", "AU"], "PNG's government asked Australia for police support."),
    # --- Niger / Nigeria
    ("niger-nigeria", ["NE", "FR"], "Niger's junta suspended uranium exports to France."),
    ("niger-nigeria", ["NG"], "Nigeria's central bank devalued the naira again."),
    ("niger-nigeria", ["NG"], "Oil spills in the Niger Delta polluted farmland and creeks."),
    ("niger-nigeria", ["NE", "NG"], "Niger and Nigeria agreed to patrol the border jointly."),
    ("niger-nigeria", ["ML"], "The Niger River burst its banks, flooding villages in Mali."),
    # --- Dominica / Dominican Republic
    ("dominica", ["DM"], "Dominica's prime minister called for climate reparations."),
    ("dominica", ["DO"], "Dominican baseball players make up a tenth of the major leagues."),
    ("dominica", ["DM"], "Hurricane Maria devastated Dominica in 2017."),
    ("dominica", ["DO", "HT"], "The Dominican Republic deported thousands of Haitians."),
    ("dominica", [], "A Dominican friar restored the monastery's frescoes."),
    # --- Jordan
    ("jordan", [], "Michael Jordan's rookie jersey sold for $1.3 million."),
    ("jordan", ["JO", "IR"], "Jordan closed its airspace as Iranian missiles flew overhead."),
    ("jordan", [], "Vernon Jordan, a civil rights leader, advised two presidents."),
    ("jordan", ["JO"], "Jordanian police arrested a suspect in Amman."),
    ("jordan", ["FR"], "Jordan Bardella's party topped the poll in France."),
    ("jordan", ["PS"], "Refugees crossed the Jordan River into the West Bank."),
    # --- Chad
    ("chad", ["TD"], "Chad's army said it repelled a Boko Haram attack near Lake Chad."),
    ("chad", [], "Chad Smith, the drummer, announced a solo album."),
    ("chad", ["TD", "SD"], "Chadian aid workers crossed into Sudan with food."),
    ("chad", [], "Coach Chad Morris was fired after a 2-10 season."),
    # --- Turkey
    (
        "turkey",
        ["TR", "RU", "UA"],
        "Turkey's president hosted talks between Russian and Ukrainian delegations.",
    ),
    ("turkey", ["US"], "Americans will eat 46 million turkeys this Thanksgiving."),
    ("turkey", [], "The price of a Thanksgiving turkey rose 5% this year."),
    ("turkey", ["TR", "SE", "NATO"], "Türkiye's parliament ratified Sweden's NATO membership."),
    (
        "turkey",
        ["GB"],
        "Roast turkey and stuffing remain the most popular Christmas meal in Britain.",
    ),
    ("turkey", [], "Turkey sales fell ahead of the holidays as bird flu hit farms."),
    # --- China
    ("china", [], "The auction of fine china and silverware raised $2 million."),
    ("china", [], "She inherited her grandmother's china."),
    (
        "china",
        ["CN", "IN"],
        "China and India agreed on patrol arrangements along their disputed border.",
    ),
    ("china", [], "Bone china teacups sold out within hours."),
    # --- other word traps
    ("word-trap", ["CL"], "Chile's copper output fell for a third year."),
    ("word-trap", [], "Add two green chile peppers and simmer for ten minutes."),
    ("word-trap", ["US"], "New Mexico's chile harvest was hit by drought."),
    ("word-trap", [], "French fries and Belgian waffles were served at the reception."),
    ("word-trap", [], "The Spanish flu killed millions between 1918 and 1920."),
    ("word-trap", [], "A German shepherd found the missing hiker."),
    ("word-trap", [], "Put the stew in a Dutch oven for three hours."),
    ("word-trap", [], "Safety engineers use the Swiss cheese model to explain accidents."),
    ("word-trap", [], "An Indian summer kept temperatures high well into October."),
    ("word-trap", ["NZ"], "Team New Zealand won the America's Cup again."),
    ("word-trap", ["AR", "CO"], "Argentina beat Colombia in the Copa America final."),
    ("word-trap", [], "Jersey cows produce milk rich in butterfat."),
    ("word-trap", ["JE"], "Jersey's government raised the tax on cigarettes."),
    ("word-trap", ["US"], "New Jersey's governor signed the budget."),
    ("word-trap", [], "Polish your shoes before the interview."),
    ("word-trap", [], "The government announced a tax amnesty for small businesses."),
    # --- organisations by acronym and by full name
    (
        "organisation",
        ["International Monetary Fund"],
        "The International Monetary Fund cut its global growth forecast.",
    ),
    (
        "organisation",
        ["International Monetary Fund", "PK"],
        "The IMF approved a $7 billion loan for Pakistan.",
    ),
    ("organisation", ["OPEC"], "OPEC+ delayed a planned output increase."),
    (
        "organisation",
        ["World Bank", "International Monetary Fund"],
        "The World Bank and the IMF hold their spring meetings next week.",
    ),
    (
        "organisation",
        ["World Trade Organization"],
        "The WTO ruled that the tariffs broke global trade rules.",
    ),
    ("organisation", ["ASEAN"], "ASEAN foreign ministers met in Vientiane."),
    ("organisation", ["African Union", "GA"], "The African Union suspended Gabon after the coup."),
    ("organisation", ["African Union"], "The AU's peace and security council met in Addis Ababa."),
    (
        "organisation",
        ["International Criminal Court", "IL"],
        "The ICC prosecutor sought arrest warrants for Israeli and Hamas leaders.",
    ),
    (
        "organisation",
        ["International Court of Justice", UN, "IL", "PS"],
        "The International Court of Justice ordered Israel to prevent acts of genocide in Gaza.",
    ),
    (
        "organisation",
        ["International Atomic Energy Agency", "IR"],
        "The IAEA said Iran had enough enriched uranium for several bombs.",
    ),
    (
        "organisation",
        ["International Atomic Energy Agency", "IR", UN],
        "The UN nuclear watchdog's board passed a resolution censuring Iran.",
    ),
    (
        "organisation",
        ["G7", "RU", "UA"],
        "The G7 agreed to use frozen Russian assets to back a loan for Ukraine.",
    ),
    ("organisation", ["BRICS"], "BRICS leaders gathered in Kazan for their annual summit."),
    ("organisation", ["OECD"], "The OECD raised its growth forecast for the euro area."),
    ("organisation", ["Interpol"], "Interpol issued a red notice for the fugitive businessman."),
    (
        "organisation",
        ["Europol"],
        "Europol dismantled a network smuggling migrants across the Channel.",
    ),
    (
        "organisation",
        ["International Committee of the Red Cross"],
        "The ICRC facilitated the release of the hostages.",
    ),
    (
        "organisation",
        ["Médecins Sans Frontières"],
        "Médecins Sans Frontières said its hospital had been shelled.",
    ),
    (
        "organisation",
        ["Médecins Sans Frontières"],
        "Doctors Without Borders evacuated its staff from the camp.",
    ),
    (
        "organisation",
        ["Amnesty International"],
        "Amnesty International accused security forces of using excessive force.",
    ),
    ("organisation", ["Human Rights Watch"], "Human Rights Watch documented at least 30 killings."),
    ("organisation", ["OSCE"], "The OSCE will send observers to the election."),
    (
        "organisation",
        ["Council of Europe"],
        "The Council of Europe's human rights commissioner criticised the law.",
    ),
    (
        "organisation",
        ["European Court of Human Rights", "Council of Europe", "CH"],
        "The European Court of Human Rights ruled against Switzerland in a climate case.",
    ),
    (
        "organisation",
        ["European Commission", EU, "RU"],
        "The European Commission proposed a ban on Russian gas imports.",
    ),
    ("organisation", ["European Parliament", EU], "MEPs voted to approve the new migration pact."),
    (
        "organisation",
        [EU, "European Council"],
        "EU leaders clashed over the budget at the European Council.",
    ),
    (
        "organisation",
        ["European Central Bank"],
        "The European Central Bank cut rates for the third time this year.",
    ),
    ("organisation", ["European Central Bank"], "The ECB kept rates on hold."),
    (
        "organisation",
        ["United Nations Security Council", UN, "SS"],
        "The UN Security Council voted to extend the peacekeeping mission in South Sudan.",
    ),
    (
        "organisation",
        ["UNICEF", UN, "YE"],
        "UNICEF said 1.2 million children were at risk of malnutrition in Yemen.",
    ),
    (
        "organisation",
        ["UNHCR", UN],
        "The UN refugee agency said 120 million people were displaced worldwide.",
    ),
    (
        "organisation",
        ["World Food Programme", UN, "HT"],
        "The World Food Programme warned of famine in Haiti.",
    ),
    ("organisation", ["UNRWA", UN, "IL"], "UNRWA's chief said Israel had barred his staff."),
    (
        "organisation",
        ["World Health Organization"],
        "The World Health Organisation approved a new malaria vaccine.",
    ),
    ("organisation", ["Oxfam"], "Oxfam said the richest 1% had captured most new wealth."),
    ("organisation", ["Greenpeace"], "Greenpeace activists boarded the tanker."),
    ("organisation", ["FIFA", "SA"], "FIFA awarded the 2034 World Cup to Saudi Arabia."),
    (
        "organisation",
        ["International Olympic Committee", "RU"],
        "The IOC banned Russian athletes from competing under their flag.",
    ),
    (
        "organisation",
        ["Arab League", "SY"],
        "The Arab League readmitted Syria after a 12-year suspension.",
    ),
    ("organisation", ["Gulf Cooperation Council"], "The GCC called for an immediate ceasefire."),
    ("organisation", ["Mercosur", EU], "Mercosur and the EU finally sealed their deal."),
    ("organisation", ["ECOWAS", "NE"], "ECOWAS threatened military intervention in Niger."),
    ("organisation", ["Shanghai Cooperation Organisation"], "The SCO summit opened on Wednesday."),
    (
        "organisation",
        ["Quadrilateral Security Dialogue"],
        "Foreign ministers of the Quad met on Monday.",
    ),
    ("organisation", ["AUKUS"], "AUKUS partners agreed to share hypersonic technology."),
    ("organisation", ["NATO", EU], "NATO and the EU will hold a joint exercise."),
    ("organisation", ["World Health Organization"], "WHO chief Tedros warned of a new pandemic."),
    (
        "organisation",
        ["International Committee of the Red Cross"],
        "The International Committee of the Red Cross called for access to detainees.",
    ),
    ("organisation", [UN], "The United Nations marked its 80th anniversary."),
    # --- former states
    ("historical", ["Soviet Union"], "The Soviet Union collapsed in December 1991."),
    ("historical", ["Soviet Union", "AF"], "Soviet troops entered Afghanistan in 1979."),
    ("historical", ["Soviet Union"], "The USSR launched Sputnik in 1957."),
    ("historical", ["KZ"], "Kazakhstan, a former Soviet republic, hosted the talks."),
    ("historical", ["East Germany"], "East Germany's secret police, the Stasi, spied on millions."),
    ("historical", ["DE"], "West Germany won the World Cup in 1974."),
    ("historical", ["DE"], "The fall of the Berlin Wall led to German reunification."),
    ("historical", ["Yugoslavia"], "Yugoslavia broke apart in a series of wars in the 1990s."),
    ("historical", ["Czechoslovakia"], "Czechoslovakia split peacefully into two states in 1993."),
    ("historical", ["MM"], "Burma's military junta renamed the country in 1989."),
    ("historical", ["CD"], "Zaire's dictator Mobutu ruled for 32 years."),
    ("historical", ["LK", "GB"], "Ceylon's tea estates date from the British colonial era."),
    ("historical", ["GB", EU], "Britain joined the European Economic Community in 1973."),
    (
        "historical",
        [EU, "Yugoslavia"],
        "The European Community imposed an arms embargo on Yugoslavia in 1991.",
    ),
    ("historical", ["SZ"], "Swaziland was renamed Eswatini in 2018."),
    ("historical", ["IR"], "Persia's ancient capital Persepolis drew record tourists."),
    ("historical", ["Ottoman Empire"], "The Ottoman Empire collapsed after the First World War."),
    ("historical", ["ZW", "GB"], "Rhodesia declared independence from Britain in 1965."),
    (
        "historical",
        ["Serbia and Montenegro"],
        "Serbia and Montenegro competed as one team at the 2006 World Cup.",
    ),
    # --- official names and abbreviations
    ("official-name", ["RU"], "The Russian Federation submitted its response to the tribunal."),
    ("official-name", ["GR"], "The Hellenic Republic issued a ten-year bond."),
    ("official-name", ["SA"], "The Kingdom of Saudi Arabia announced a new investment fund."),
    ("official-name", ["CN"], "The People's Republic of China marked its 75th anniversary."),
    ("official-name", ["IR"], "The Islamic Republic of Iran rejected the resolution."),
    ("official-name", ["TR"], "The Republic of Türkiye hosted the summit."),
    ("official-name", ["CZ"], "The Czech Republic, or Czechia, is landlocked."),
    ("official-name", ["BO"], "The Plurinational State of Bolivia nationalised its lithium."),
    (
        "official-name",
        ["LA", "CN"],
        "The Lao People's Democratic Republic opened a railway to China.",
    ),
    ("official-name", ["CI"], "Côte d'Ivoire's president named a new prime minister."),
    ("abbreviation", ["AE", "IL"], "The UAE and Israel signed a free trade deal."),
    ("abbreviation", ["CD", "RW"], "The DRC accused Rwanda of backing the M23 rebels."),
    ("abbreviation", ["CN"], "The PRC's foreign ministry lodged a protest."),
    ("abbreviation", ["US", "CA"], "USA beat Canada 3-2 in overtime."),
    ("abbreviation", ["GB", EU], "The UK and the EU agreed a new veterinary deal."),
    ("abbreviation", ["SA"], "KSA oil output rose in March."),
    (
        "abbreviation",
        ["CD"],
        "Fighting in eastern Congo displaced thousands more people this week.",
    ),
    # --- other names
    ("other-name", ["NL"], "Holland's tulip exports rose by a fifth."),
    ("other-name", ["GB"], "Great Britain won 14 gold medals."),
    (
        "other-name",
        ["GB"],
        "Scotland's first minister called for a second independence referendum.",
    ),
    ("other-name", ["GB", "IN"], "England beat India by 28 runs in the first test."),
    ("other-name", ["GB"], "Northern Ireland's assembly returned after two years."),
    ("other-name", ["CI"], "The Ivory Coast striker scored twice."),
    ("other-name", ["TL", "ASEAN"], "Timor-Leste became ASEAN's 11th member."),
    ("other-name", ["XK", "RS"], "Kosovo and Serbia agreed to recognise each other's documents."),
    ("other-name", ["TW", "US"], "Taiwanese chipmaker TSMC will build a plant in Arizona."),
    ("other-name", ["MO"], "Macau's casino revenue rose 20% in August."),
    ("other-name", ["VA"], "The Vatican said the pope would visit Africa."),
    ("other-name", ["VA", "CN"], "The Holy See and China renewed their deal on bishops."),
    ("other-name", ["PS"], "Palestinians in the West Bank reported a surge in settler attacks."),
]

# Template forms: N = the country as a noun, A = adjective, P = the people as a subject.
COUNTRY_FORMS: dict[str, dict[str, list[str]]] = {
    "US": {
        "N": ["the United States", "the U.S.", "the US", "America", "the USA"],
        "A": ["American", "U.S.", "US"],
        "P": ["Americans"],
    },
    "GB": {
        "N": ["Britain", "the UK", "the United Kingdom", "the U.K."],
        "A": ["British", "UK"],
        "P": ["Britons", "Brits"],
    },
    "KR": {
        "N": ["South Korea", "S. Korea", "the Republic of Korea"],
        "A": ["South Korean", "South Korean", "Korean"],
        "P": ["South Koreans"],
    },
    "KP": {
        "N": ["North Korea", "N. Korea", "the DPRK"],
        "A": ["North Korean"],
        "P": ["North Koreans"],
    },
    "CN": {
        "N": ["China", "the People's Republic of China", "mainland China"],
        "A": ["Chinese"],
        "P": ["Chinese citizens"],
    },
    "RU": {"N": ["Russia", "the Russian Federation"], "A": ["Russian"], "P": ["Russians"]},
    "UA": {"N": ["Ukraine"], "A": ["Ukrainian"], "P": ["Ukrainians"]},
    "DE": {"N": ["Germany"], "A": ["German"], "P": ["Germans"]},
    "FR": {"N": ["France"], "A": ["French"], "P": ["The French"]},
    "JP": {"N": ["Japan"], "A": ["Japanese"], "P": ["The Japanese"]},
    "IN": {"N": ["India"], "A": ["Indian"], "P": ["Indians"]},
    "NL": {"N": ["the Netherlands", "Holland"], "A": ["Dutch"], "P": ["The Dutch"]},
    "CH": {"N": ["Switzerland"], "A": ["Swiss"], "P": ["The Swiss"]},
    "IL": {"N": ["Israel"], "A": ["Israeli"], "P": ["Israelis"]},
    "IR": {"N": ["Iran", "the Islamic Republic"], "A": ["Iranian"], "P": ["Iranians"]},
    "TR": {"N": ["Turkey", "Türkiye"], "A": ["Turkish"], "P": ["Turks"]},
    "SA": {"N": ["Saudi Arabia"], "A": ["Saudi"], "P": ["Saudis"]},
    "AE": {"N": ["the United Arab Emirates", "the UAE"], "A": ["Emirati"], "P": ["Emiratis"]},
    "BR": {"N": ["Brazil"], "A": ["Brazilian"], "P": ["Brazilians"]},
    "MX": {"N": ["Mexico"], "A": ["Mexican"], "P": ["Mexicans"]},
    "CA": {"N": ["Canada"], "A": ["Canadian"], "P": ["Canadians"]},
    "AU": {"N": ["Australia"], "A": ["Australian"], "P": ["Australians"]},
    "ZA": {"N": ["South Africa"], "A": ["South African"], "P": ["South Africans"]},
    "NG": {"N": ["Nigeria"], "A": ["Nigerian"], "P": ["Nigerians"]},
    "PL": {"N": ["Poland"], "A": ["Polish"], "P": ["Poles"]},
    "ES": {"N": ["Spain"], "A": ["Spanish"], "P": ["Spaniards"]},
    "IT": {"N": ["Italy"], "A": ["Italian"], "P": ["Italians"]},
    "GR": {"N": ["Greece"], "A": ["Greek"], "P": ["Greeks"]},
    "SE": {"N": ["Sweden"], "A": ["Swedish"], "P": ["Swedes"]},
    "IE": {"N": ["Ireland", "the Republic of Ireland"], "A": ["Irish"], "P": ["The Irish"]},
    "PK": {"N": ["Pakistan"], "A": ["Pakistani"], "P": ["Pakistanis"]},
    "PH": {"N": ["the Philippines"], "A": ["Philippine", "Filipino"], "P": ["Filipinos"]},
    "VN": {"N": ["Vietnam", "Viet Nam"], "A": ["Vietnamese"], "P": ["The Vietnamese"]},
    "TW": {"N": ["Taiwan"], "A": ["Taiwanese"], "P": ["Taiwanese voters"]},
    "EG": {"N": ["Egypt"], "A": ["Egyptian"], "P": ["Egyptians"]},
    "SY": {"N": ["Syria"], "A": ["Syrian"], "P": ["Syrians"]},
    "CD": {
        "N": ["DR Congo", "the Democratic Republic of Congo", "the DRC"],
        "A": ["Congolese"],
        "P": ["People in eastern DR Congo"],
    },
    "CZ": {"N": ["the Czech Republic", "Czechia"], "A": ["Czech"], "P": ["Czechs"]},
    "GE": {"N": ["Georgia"], "A": ["Georgian"], "P": ["Georgians"]},
    "BY": {"N": ["Belarus"], "A": ["Belarusian"], "P": ["Belarusians"]},
    "VE": {"N": ["Venezuela"], "A": ["Venezuelan"], "P": ["Venezuelans"]},
    "AR": {"N": ["Argentina"], "A": ["Argentine", "Argentinian"], "P": ["Argentines"]},
}

ORG_FORMS: dict[str, list[str]] = {
    "NATO": ["NATO", "Nato", "the North Atlantic Treaty Organization"],
    UN: ["the United Nations", "the UN", "the U.N."],
    EU: ["the European Union", "the EU", "the E.U."],
    "World Health Organization": ["the World Health Organization", "the WHO"],
    "International Monetary Fund": ["the IMF", "the International Monetary Fund"],
    "World Bank": ["the World Bank"],
    "OPEC": ["OPEC", "Opec"],
    "World Trade Organization": ["the WTO", "the World Trade Organization"],
    "International Atomic Energy Agency": ["the IAEA", "the International Atomic Energy Agency"],
    "G7": ["the G7", "the Group of Seven"],
    "G20": ["the G20", "the G-20"],
    "ASEAN": ["ASEAN", "the Association of Southeast Asian Nations"],
    "African Union": ["the African Union", "the AU"],
    "International Criminal Court": ["the International Criminal Court", "the ICC"],
    "OECD": ["the OECD"],
}

DATELINES: dict[str, list[str]] = {
    "US": ["WASHINGTON", "NEW YORK"],
    "GB": ["LONDON"],
    "KR": ["SEOUL"],
    "CN": ["BEIJING", "SHANGHAI"],
    "RU": ["MOSCOW"],
    "UA": ["KYIV"],
    "DE": ["BERLIN", "FRANKFURT"],
    "FR": ["PARIS"],
    "JP": ["TOKYO"],
    "IN": ["NEW DELHI", "MUMBAI"],
    "IL": ["JERUSALEM"],
    "TR": ["ANKARA", "ISTANBUL"],
    "BR": ["BRASILIA", "SAO PAULO"],
    "MX": ["MEXICO CITY"],
    "NG": ["ABUJA", "LAGOS"],
    "ZA": ["JOHANNESBURG"],
    "AU": ["SYDNEY"],
    "EG": ["CAIRO"],
}
AGENCIES = ["Reuters", "AP", "AFP", "Bloomberg"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]

N2 = [
    "{N1} and {N2} signed a trade agreement on {day}, officials said.",
    "Talks between {N1} and {N2} stalled over tariffs, according to diplomats.",
    "{N1} summoned the ambassador of {N2} after a border incident.",
    "Exports from {N1} to {N2} rose {num}% in March.",
    "The foreign minister of {N1} will visit {N2} next week.",
]
N1 = [
    "The central bank of {N1} raised interest rates by a quarter point.",
    "Floods in {N1} killed at least {num} people this week.",
    "{N1}'s parliament approved the budget after a marathon session.",
    "Inflation in {N1} slowed to {num}% in May.",
]
A2 = [
    "{A1} and {A2} negotiators met in Geneva on {day}.",
    "{A1} troops began joint exercises with {A2} forces on {day}.",
]
A1 = [
    "A {A1} court sentenced two activists to prison on {day}.",
    "{A1} officials said on {day} they would resume the talks.",
    "Shares in {A1} banks fell sharply on {day}.",
]
P1 = [
    "{P1} are heading to the polls on Sunday.",
    "Thousands of protesters marched on {day}; {P1} are angry about fuel prices.",
]
ORG = [
    "{O} said on {day} that {N1} had met its conditions.",
    "{N1} appealed to {O} for emergency support.",
    "Officials from {O} arrived in {N1} on {day}.",
    "A report by {O} criticised {A1} authorities.",
]
DATELINE = [
    "{D} ({agency}) - {A1} officials said on {day} they expected growth to slow.",
    "{D} ({agency}) - The government of {N1} announced new measures on {day}.",
]


def _cap(text: str) -> str:
    return text[0].upper() + text[1:]


def templated(rng: random.Random, count: int) -> list[tuple[str, list[str], str]]:
    """`count` texts filled from the templates, each with the entities it names as labels."""
    codes = sorted(COUNTRY_FORMS)
    orgs = sorted(ORG_FORMS)
    kinds = ["N2", "N1", "A2", "A1", "P1", "ORG", "ORG", "DATELINE"]
    made: list[tuple[str, list[str], str]] = []
    while len(made) < count:
        kind = rng.choice(kinds)
        x, y = rng.sample(codes, 2)
        if kind == "DATELINE":
            x = rng.choice(sorted(DATELINES))
        fx, fy = COUNTRY_FORMS[x], COUNTRY_FORMS[y]
        org = rng.choice(orgs)
        slots = {
            "N1": rng.choice(fx["N"]),
            "N2": rng.choice(fy["N"]),
            "A1": rng.choice(fx["A"]),
            "A2": rng.choice(fy["A"]),
            "P1": rng.choice(fx["P"]),
            "O": rng.choice(ORG_FORMS[org]),
            "day": rng.choice(DAYS),
            "num": str(rng.randint(2, 90)),
            "agency": rng.choice(AGENCIES),
            "D": rng.choice(DATELINES.get(x, ["LONDON"])),
        }
        template = rng.choice(
            {"N2": N2, "N1": N1, "A2": A2, "A1": A1, "P1": P1, "ORG": ORG, "DATELINE": DATELINE}[
                kind
            ]
        )
        text = _cap(template.format(**slots))
        labels = [x]
        if "{N2}" in template or "{A2}" in template:
            labels.append(y)
        if "{O}" in template:
            labels.append(org)
        style = rng.random()
        category = f"template-{kind.lower()}"
        if style < 0.06:
            text, category = text.upper(), "template-caps"
        elif style < 0.12:
            text, category = text.lower(), "template-lowercase"
        made.append((category, labels, text))
    return made


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--out", type=Path, default=OUT, help="file to write")
    out: Path = parser.parse_args(argv).out
    rng = random.Random(20240607)
    rows = [(*case, "hand") for case in HAND]
    rows += [(*case, "template") for case in templated(rng, 200)]
    seen: set[str] = set()
    lines: list[str] = []
    for number, (category, labels, text, source) in enumerate(rows, 1):
        if text in seen:
            continue
        seen.add(text)
        record = {
            "id": f"{'h' if source == 'hand' else 't'}{number:04d}",
            "text": text,
            "labels": sorted(set(labels)),
            "category": category,
            "source": source,
        }
        lines.append(json.dumps(record, ensure_ascii=False))
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {len(lines)} texts to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
