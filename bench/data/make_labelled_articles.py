"""Write `labelled_articles.jsonl`: full news articles labelled by what they are ABOUT.

    python bench/data/make_labelled_articles.py

`bench/gazetteer_eval.py --articles` measures `prominent: true` against it. The texts live
here; the labelling rules are in `labelled_articles.md` (read them before changing a label).

Each line is {"id", "topic", "title", "body", "about", "mentioned"}: `about` lists the
countries (ISO 3166-1 alpha-2) and organisations (canonical names of
`monitor/gazetteer/data/organisations.json`) the article is substantially about, the ones
whose desk would want the alert; `mentioned` every entity the article refers to at all, a
superset of `about`. In this file an article gives `about` and `also` (the entities only
mentioned); `mentioned` is their union.

The articles are invented, written in wire-service style for this benchmark: a dateline, a
lead that says what happened, then quotes, background and context, with the passing
mentions real copy has (a country named once deep in the body, a dateline that names a
country, a list of countries in one sentence, a background paragraph that names one twice)
and articles about an entity that name it only in the headline, or mostly by its capital or
its people. They were written before any measurement and not edited after it.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent / "labelled_articles.jsonl"

POLITICS = "politics"
ECONOMY = "economy"
CONFLICT = "conflict"
SPORT = "sport"
TECH = "tech"
HEALTH = "health"
CULTURE = "culture"
TOPICS = (POLITICS, ECONOMY, CONFLICT, SPORT, TECH, HEALTH, CULTURE)

EU = "European Union"
EC = "European Commission"
UN = "United Nations"
WHO = "World Health Organization"
IMF = "International Monetary Fund"

ARTICLES: list[tuple[str, list[str], list[str], str, str]] = []
"""(topic, about, also mentioned, title, body) in the order written."""


def art(topic: str, about: list[str], also: list[str], title: str, body: str) -> None:
    ARTICLES.append((topic, about, also, title, body))


# --- politics ----------------------------------------------------------------------------

art(
    POLITICS,
    ["KR"],
    ["KP", "US"],
    "South Korean lawmakers vote to impeach president over martial law decree",
    """
SEOUL - South Korea's opposition-controlled parliament voted on Saturday to impeach
President Yoon Suk Yeol over his short-lived declaration of martial law, suspending him
from office while the Constitutional Court decides whether to remove him.

The motion passed with 204 votes in the 300-seat National Assembly, after a dozen members of
the ruling People Power Party broke ranks. Prime Minister Han Duck-soo became acting
president under the constitution.

Tens of thousands of people who had gathered outside the assembly in freezing temperatures
cheered as the result was read out. Many waved light sticks borrowed from K-pop concerts, a
symbol of this winter's protests.

"Today's impeachment is a great victory of the people and of democracy," opposition leader
Lee Jae-myung told reporters.

Yoon, a former prosecutor, said in a televised address that he would "never give up" and
would fight the case in court. His decree, issued late at night and lifted six hours later
when lawmakers forced their way into the chamber, had stunned allies.

The court has 180 days to rule. Investigators have also opened a criminal case against
Yoon and several former commanders on charges including insurrection.

The finance ministry said it would work with the central bank to calm markets. Officials
said there were no unusual movements by North Korea's military, and the acting president
spoke by phone with his counterpart in the United States to reassure Washington that the
alliance remained firm.
""",
)

art(
    POLITICS,
    ["DE"],
    [EU, "FR", "UA", "US"],
    "German coalition collapses after chancellor fires finance minister",
    """
BERLIN - Germany's three-party coalition collapsed on Wednesday after Chancellor Olaf Scholz
fired his finance minister in a dispute over how to fund next year's budget, setting Europe's
largest economy on course for an early election.

Scholz said he would call a confidence vote in the Bundestag in January, which he expects to
lose, opening the way for a vote in March, six months ahead of schedule.

The Free Democrats' leader Christian Lindner had refused to suspend the constitutional
"debt brake" to raise money for military aid and for struggling industries. "He has broken
my trust too often," Scholz said in an unusually sharp statement at the chancellery.

Lindner accused the chancellor of seeking a "calculated break" and said his party would
leave the government. The Social Democrats and Greens will continue as a minority
government until the election.

The conservative opposition leader Friedrich Merz, who leads in the polls, demanded a vote
of confidence within days rather than weeks.

The crisis comes at a difficult moment for the European Union, which is preparing for a new
trade relationship with Washington, and as Berlin's partners worry about continued support
for Ukraine. The budget dispute also complicates the EU's debate over joint borrowing for
defence. In Paris, officials privately expressed concern that the two largest economies of
the bloc were now both led by weakened governments.
""",
)

art(
    POLITICS,
    ["JP"],
    ["CN", "US"],
    "Japan's ruling coalition loses upper house majority",
    """
TOKYO - Japan's ruling Liberal Democratic Party and its coalition partner Komeito lost their
majority in the upper house of parliament in Sunday's election, according to projections by
public broadcaster NHK, deepening the political troubles of Prime Minister Shigeru Ishiba.

The coalition needed 50 of the 125 seats being contested to keep control of the chamber but
was projected to win 47. It had already lost its majority in the more powerful lower house
in October.

Voters punished the government over rising prices, particularly of rice, which has nearly
doubled in a year. Small populist parties campaigning on tax cuts and tighter immigration
rules made strong gains, with one newcomer party winning 14 seats.

Ishiba told a news conference that he would stay on to handle urgent issues, including
negotiations on tariffs. "We take this severe result seriously," he said.

Analysts said the prime minister could face pressure from within the LDP to resign before
the end of the year. Several senior lawmakers said privately that a leadership contest was
now likely.

The result leaves the government more dependent on opposition votes to pass legislation,
including the budget. Diplomats said the uncertainty comes as Tokyo seeks to steady ties
with China and to finalise a trade agreement with the United States.
""",
)

art(
    POLITICS,
    ["BR"],
    ["NO", "DE"],
    "Lula signs law tightening penalties for illegal deforestation",
    """
BRASILIA - Brazilian President Luiz Inacio Lula da Silva on Tuesday signed a law that doubles
prison sentences for illegal clearing of the Amazon rainforest and lets environmental agents
seize cattle raised on illegally cleared land.

The law, which passed Congress last month after a year of negotiations with the powerful
farm lobby, also creates a national registry of rural properties that must be checked before
banks can lend to farmers.

"Those who destroy the forest will pay, and they will pay more than before," Lula said at a
ceremony in the presidential palace, flanked by Environment Minister Marina Silva.

Deforestation in the Brazilian Amazon fell by about 30% last year, according to satellite
data from the space research institute INPE, after rising sharply under his predecessor
Jair Bolsonaro.

Farm groups said parts of the law would punish small producers who cannot afford to comply
with the new registry. A group of senators said they would challenge some provisions in the
Supreme Court.

Environmental groups welcomed the measure but said enforcement remained the main problem,
with the environmental agency Ibama short of staff in remote areas.

The government hopes the law will strengthen its hand before it hosts the COP30 climate
summit in Belem. Norway, the largest donor to the Amazon Fund, and Germany have pledged new
contributions if deforestation keeps falling.
""",
)

art(
    POLITICS,
    [EU, EC],
    ["FR", "DE", "PL", "IT", "HU", "AL", "ES", "European Parliament"],
    "EU leaders back tougher deportation rules at Brussels summit",
    """
BRUSSELS - European Union leaders on Thursday backed tougher rules for deporting migrants
whose asylum claims have been rejected, including the option of sending them to "return
hubs" in countries outside the bloc.

The leaders of the 27 member states, including France, Germany and Poland, asked the
European Commission to propose legislation quickly, after a summit dominated by migration.

Only about 20% of people ordered to leave the EU actually do so, according to the bloc's own
figures, a rate officials have called unacceptable.

"We need to be able to return those who have no right to stay," Commission President Ursula
von der Leyen told reporters after the meeting, which ran late into the night.

Some governments want to follow the example of Italy, which has opened two centres in
Albania to process asylum seekers picked up at sea. Human rights groups said the plans
would undermine the right to asylum and could not be squared with international law.

Diplomats said the summit's conclusions were watered down to win the support of Spain,
which argues that legal migration is needed to fill jobs. Hungary insisted on language
stressing national control of borders.

The Commission is expected to present a draft regulation before the end of the year. It
would then need the approval of the European Parliament and of national governments.
""",
)

art(
    POLITICS,
    ["PE"],
    ["Organization of American States"],
    "Peru's Congress removes president in overnight vote",
    """
LIMA - Peru's Congress voted early on Friday to remove President Dina Boluarte from office
for "permanent moral incapacity", the sixth time in less than a decade that the country's
head of state has been forced out before the end of a term.

The motion passed with 122 votes, well above the two-thirds required, after parties that had
long supported Boluarte abandoned her over a wave of extortion killings in Lima.

Congress president Jose Jeri was sworn in as interim president shortly after midnight and
promised to hold general elections as scheduled in April.

"The fight against crime will be the priority of this government," Jeri said in his first
speech, as protesters outside the legislature banged pots and called for all politicians to
go.

Boluarte, who took office in 2022 after the ouster of her predecessor Pedro Castillo, had
approval ratings below 5% for much of the past year. She did not attend the session and
left the presidential palace before dawn.

Her government had been accused of using excessive force against protesters in the south of
the country in 2023, when dozens of people were killed.

Transport workers, who have staged several strikes over attacks on bus drivers, said they
would keep protesting until the new government presented a security plan. The Organization
of American States said it was following events closely.
""",
)

art(
    POLITICS,
    ["GB"],
    ["US"],
    "Reform UK wins first by-election, overturning Labour majority",
    """
LONDON - Nigel Farage's Reform UK won a parliamentary by-election in northwest England by just
six votes on Friday, overturning a large Labour majority in a blow to Prime Minister Keir
Starmer.

Reform's candidate Sarah Pochin took Runcorn and Helsby after two recounts. Labour had won
the seat at last year's general election with a majority of almost 15,000.

"This is the end of two-party politics in Britain," Farage told supporters at the count in
the early hours. "The old parties are finished in places like this."

The by-election was called after the Labour member of parliament resigned following a
conviction for assault. Turnout was about 46%.

Reform also won hundreds of seats in local council elections held on the same day, taking
control of several councils in areas that have voted Conservative for decades.

Starmer said the results were disappointing and that the government needed to "go further
and faster" to improve living standards. Some Labour lawmakers called for a change of
course on welfare cuts and on the winter fuel allowance for pensioners.

The Conservative Party, which lost control of every council it was defending, faced
questions over the leadership of Kemi Badenoch.

Pollsters said Reform had borrowed heavily from campaign techniques used by Donald Trump in
the United States, focusing on immigration and the cost of living.
""",
)

art(
    POLITICS,
    ["SN"],
    ["ECOWAS", "FR"],
    "Senegal opposition candidate wins presidency in first round",
    """
DAKAR - Opposition candidate Bassirou Diomaye Faye won Senegal's presidential election in
the first round with 54% of the vote, official provisional results showed on Wednesday, ten
days after he was released from prison.

The ruling coalition's candidate, former prime minister Amadou Ba, took 35% and conceded
defeat before the official count, congratulating Faye in a statement.

Faye, a 44-year-old former tax inspector who has never held elected office, will become the
youngest president in the country's history. He ran in place of the popular opposition leader
Ousmane Sonko, who was barred from standing because of a defamation conviction.

"I commit to governing with humility and transparency," Faye said in his first speech as
president-elect.

The election had been delayed by outgoing President Macky Sall, provoking deadly protests
and a constitutional crisis that dented Senegal's reputation as one of the most stable
democracies in West Africa. The Constitutional Council eventually forced the vote to go
ahead.

Faye has promised to fight corruption, renegotiate oil and gas contracts and review the
country's use of the CFA franc, a currency backed by the former colonial power France.

Observers from the regional bloc ECOWAS said the vote had been peaceful and transparent.
Investors pushed Senegal's dollar bonds lower on concern over the planned contract reviews.
""",
)

art(
    POLITICS,
    ["TW", "CN"],
    ["US"],
    "China stages large-scale drills around Taiwan after new president's speech",
    """
TAIPEI - China's military launched two days of large-scale exercises around Taiwan on
Thursday, sending warships and fighter jets to practise seizing power over the island in
what Beijing called "strong punishment" for separatist acts.

The drills, named Joint Sword-2024A, came three days after Taiwan's new president Lai
Ching-te took office and said in his inauguration speech that the two sides of the strait
were "not subordinate to each other".

Taiwan's defence ministry said it had tracked 49 Chinese military aircraft and 19 navy
vessels near the island by the afternoon, and had put its forces on alert. Coast guard ships
from the mainland sailed close to the outlying islands of Kinmen and Matsu.

"In the face of external challenges and threats, we will continue to defend the values of
freedom and democracy," Lai said during a visit to a marine base.

China's Eastern Theatre Command released a poster showing missiles converging on the island
and said the exercises tested "joint combat capabilities".

Beijing regards Taiwan as its own territory and has never renounced the use of force to
bring it under its control. Taipei rejects those claims, saying only the island's 23 million
people can decide their future.

A State Department spokesperson urged restraint, saying the U.S. was monitoring closely.
""",
)

art(
    POLITICS,
    ["NATO", "US"],
    ["NL", "ES", "RU", "UA"],
    "NATO allies agree to raise defence spending target to 5% of GDP",
    """
THE HAGUE - NATO leaders agreed on Wednesday to raise their defence spending target to 5% of
economic output within a decade, meeting a central demand of U.S. President Donald Trump at
a short summit held under tight security.

The new goal, more than double the current target of 2%, includes 3.5% for core military
spending and 1.5% for wider security needs such as cyber defence and infrastructure.

"This is a big win for the United States and for civilisation," Trump told reporters after the
meeting, having earlier cast doubt on his commitment to the alliance's mutual defence clause.
He later said Washington stood with its allies "all the way".

Secretary General Mark Rutte, who shaped the one-page declaration to keep the summit short,
said the alliance was "stronger, fairer and more lethal" as a result.

The declaration names Russia as a long-term threat to Euro-Atlantic security. American
officials had pushed to keep references to the war in Ukraine brief.

Spain secured language that diplomats said would let it spend less than the target, drawing
criticism from the U.S. president, who threatened to make Madrid "pay twice as much" in
trade talks.

The Dutch hosts spent months preparing the event, which was the first NATO summit held in the
Netherlands. Analysts noted that many allies will struggle to reach even the lower core
target of 3.5% without cutting other budgets.
""",
)

art(
    POLITICS,
    ["IN"],
    [],
    "India's ruling alliance sweeps Bihar state election",
    """
PATNA - Prime Minister Narendra Modi's Bharatiya Janata Party and its allies won a sweeping
victory in the Bihar state election, official results showed on Friday, extending the ruling
alliance's run of state wins after a setback in last year's national vote.

The National Democratic Alliance won 202 of the 243 seats in the state assembly, the
Election Commission said, while the opposition alliance led by the regional Rashtriya Janata
Dal took fewer than 40.

Chief Minister Nitish Kumar, a veteran of shifting alliances, is expected to be sworn in for
a record tenth term next week.

"The people of Bihar have voted for development and good governance," Modi wrote on social
media. Party workers set off firecrackers and distributed sweets outside the BJP's offices
in New Delhi and in the state capital.

Opposition leaders alleged irregularities in a revision of the electoral rolls carried out
months before the vote, which removed millions of names. The Election Commission rejected
the accusations.

Bihar, with a population of about 130 million, is one of the poorest states and sends large
numbers of migrant workers to other parts of the country. Jobs and migration dominated the
campaign.

Analysts said the result would strengthen Modi's hand in his coalition government, in which
the BJP depends on regional partners for a majority.
""",
)

art(
    POLITICS,
    ["HU", EU, "UA"],
    ["RU", EC, "European Parliament"],
    "Hungary blocks EU's 50 billion euro aid package for Ukraine",
    """
BRUSSELS - Hungary blocked a 50 billion euro European Union aid package for Ukraine on
Friday, dealing a blow to Kyiv's hopes of securing long-term financing as its war with
Russia grinds on.

Prime Minister Viktor Orban vetoed the four-year package at a summit of EU leaders, hours
after the other 26 governments had agreed to open membership negotiations with Ukraine in a
move Orban did not oppose but declined to take part in by leaving the room.

"Summary of the night shift: veto for extra money to Ukraine," Orban wrote on social media.

Diplomats said the European Commission was preparing fallback options, including lending to
Kyiv through a structure involving only 26 member states, which would take longer and cost
more. Leaders will return to the issue at a special summit in January.

Ukrainian President Volodymyr Zelenskiy called the decision on membership talks "a victory
for Ukraine and for all of Europe" but said he was counting on the financial aid.

Budapest has been accused by its partners of using its veto to unlock EU funds frozen over
concerns about the rule of law in Hungary. The Commission released about 10 billion euros
of those funds days before the summit, a decision criticised by members of the European
Parliament.

Orban denied any link between the two issues.
""",
)

art(
    POLITICS,
    ["MX"],
    ["US", "CA"],
    "Mexico's Congress approves overhaul that puts judges up for election",
    """
MEXICO CITY - Mexico's Senate approved a constitutional overhaul early on Wednesday that will
make all judges, including Supreme Court justices, stand for election, after protesters
stormed the chamber and forced senators to move to another building.

The reform, championed by outgoing President Andres Manuel Lopez Obrador, passed with exactly
the two-thirds majority required after an opposition senator broke ranks. It will now be
ratified by state legislatures, most of which are controlled by the ruling Morena party.

About 7,000 federal judges and magistrates will be chosen by popular vote, starting in 2025.
Supporters say the change will root out corruption and make the courts accountable to
voters.

Judges and court workers, who have been on strike for weeks, said the overhaul would destroy
judicial independence and hand control of the courts to the ruling party.

"They are dismantling the balance of powers," said one protester outside the Senate, who
gave only her first name, Ana.

President-elect Claudia Sheinbaum, who takes office on Oct. 1, has defended the reform.

The peso fell to its weakest level in two years. Rating agencies and foreign investors had
warned that the changes could weaken legal certainty, and officials in the United States and
Canada, Mexico's partners in a free trade agreement due for review in 2026, had voiced
concern.
""",
)

art(
    POLITICS,
    ["CN", "PH"],
    [],
    "Beijing warns Manila over new shoal outpost",
    """
BEIJING - Beijing on Monday warned Manila to "stop provocations" after Philippine troops
resupplied a grounded warship that serves as an outpost on a disputed shoal, the latest
confrontation in the South China Sea.

A foreign ministry spokesperson in Beijing said the resupply mission had violated an
understanding between the two sides and that the coast guard had taken "necessary measures"
in accordance with the law.

Manila said coast guard vessels had fired water cannon at its supply boats near Second Thomas
Shoal, injuring four sailors, and summoned Beijing's ambassador to protest.

"We will not be intimidated," the national security adviser said at a news conference,
adding that the mission had delivered food and water to the marines aboard the ship.

The rusting vessel was deliberately run aground on the shoal in 1999 to assert sovereignty
over it. Beijing claims almost all of the South China Sea, including waters within the
exclusive economic zone of the Philippines, and has rejected a 2016 arbitration ruling that
found its claims had no legal basis.

The incident was the third of its kind this year. Manila's defence department said it would
keep supplying the outpost, while officials in Beijing said the Chinese coast guard would
continue to patrol the area and "firmly safeguard" the country's rights.
""",
)

art(
    POLITICS,
    ["GE"],
    [EU, "RU"],
    "Thousands rally in Tbilisi as Georgia's government suspends EU talks",
    """
TBILISI - Tens of thousands of people rallied outside Georgia's parliament for a fourth night on
Sunday after the government suspended talks on joining the European Union, and police again
used water cannon and tear gas to disperse crowds.

Prime Minister Irakli Kobakhidze said the ruling Georgian Dream party would not put the
question of accession on the agenda until 2028, accusing Brussels of "blackmail" over its
criticism of disputed October elections.

The interior ministry said 224 people had been detained since Thursday and more than 100
police officers injured. Opposition parties said many protesters had been beaten.

President Salome Zourabichvili, a critic of the government whose term ends this month, said
she would not step down until new elections were held. "I remain your president," she told
protesters.

Opposition leaders accuse Georgian Dream, founded by the billionaire Bidzina Ivanishvili, of
steering the South Caucasus country away from the West and towards Moscow. The party denies
this and says it wants to protect the country's sovereignty.

About 80% of Georgians support joining the EU, according to opinion polls, and the goal is
written into the constitution. The bloc granted Georgia candidate status in December 2023,
but froze the process after parliament passed a "foreign agents" law modelled on one in
Russia.
""",
)

art(
    POLITICS,
    ["PK"],
    [IMF, "AF", "CN"],
    "Pakistan's parliament elects Shehbaz Sharif prime minister",
    """
ISLAMABAD - Pakistan's parliament elected Shehbaz Sharif as prime minister for a second time
on Sunday, after weeks of wrangling following an election marred by allegations of vote
rigging.

Sharif won 201 votes in the 336-seat National Assembly, with support from his Pakistan Muslim
League-Nawaz and the Pakistan Peoples Party. His rival, backed by jailed former prime minister
Imran Khan's party, received 92 votes.

Lawmakers loyal to Khan chanted slogans throughout the session and held up portraits of
their leader, who has been in prison since August on charges he says are politically
motivated.

In his first speech, Sharif promised to revive an economy in deep crisis, with inflation
near 30% and foreign reserves covering barely two months of imports. He said his government
would seek a new loan from the International Monetary Fund as the current programme expires
in April.

"We have to get out of this trap of borrowing," he said.

Candidates backed by Khan's party won the largest number of seats in the Feb. 8 election,
contesting as independents after the party was barred from using its symbol. The army, which
has ruled for decades of the country's history, denies interfering in politics.

Sharif also faces a rise in militant attacks near the border with Afghanistan, and promised
to speed up projects financed by China.
""",
)

art(
    POLITICS,
    ["CA"],
    ["US"],
    "Canada's Carney calls snap election, citing Trump threat",
    """
OTTAWA - Canadian Prime Minister Mark Carney called a snap election for April 28 on Sunday,
saying he needed a strong mandate to deal with U.S. President Donald Trump's tariffs and his
threats to annex the country.

Carney, a former central banker who replaced Justin Trudeau as Liberal leader and prime
minister only nine days earlier, asked the governor general to dissolve parliament.

"We are facing the most significant crisis of our lifetimes because of President Trump's
unjustified trade actions and his threats to our sovereignty," Carney said after the meeting.
"He wants to break us so America can own us. We will not let that happen."

The Liberals had trailed the opposition Conservatives by more than 20 points in January, but
have recovered in opinion polls since Trudeau announced his resignation, helped by a surge of
patriotic feeling.

Conservative leader Pierre Poilievre, who had been expected to win easily, said Canadians
deserved a change after a "lost Liberal decade" of rising prices and housing costs.

The campaign will last just 36 days, the minimum allowed by law. Carney has never held a
seat in the House of Commons and will run in a district in Ottawa.

Canada sends about three quarters of its exports south of the border, and economists warn
that a prolonged trade war could push the economy into recession.
""",
)

art(
    POLITICS,
    ["AU"],
    ["GB", "FR", "NO"],
    "Australia passes world-first ban on social media for under-16s",
    """
CANBERRA - Australia's parliament on Thursday passed a law banning children under 16 from
social media, one of the toughest crackdowns on the platforms anywhere, after a heated debate
that split experts and parents.

The law will require platforms such as TikTok, Facebook, Snapchat, Instagram and X to take
"reasonable steps" to stop under-age users from holding accounts, or face fines of up to 49.5
million Australian dollars. Messaging and gaming services and YouTube are exempt.

Prime Minister Anthony Albanese said the measure would help parents who were worried about
the harm their children faced online. "We want our kids to have a childhood," he told
reporters.

The ban will take effect in a year, after a trial of age-verification technology. The
government has said users will not be forced to hand over identity documents.

The Senate approved the bill by 34 votes to 19, with support from the opposition. Some
lawmakers from the Greens and independents said the law had been rushed through in a week
without proper scrutiny.

Youth advocates said it could cut off isolated young people, including those in rural areas,
from support networks. Technology companies said the rules were unclear and could be
unworkable.

Governments elsewhere are watching closely. Similar measures are under discussion in
Britain, France and Norway.
""",
)

# --- economy -----------------------------------------------------------------------------

art(
    ECONOMY,
    ["US"],
    ["European Central Bank", "JP"],
    "Fed holds rates steady, signals two cuts later this year",
    """
WASHINGTON - The Federal Reserve held interest rates steady on Wednesday for a fourth straight
meeting but signalled it still expects to cut borrowing costs twice this year, even as
policymakers raised their forecasts for inflation.

The central bank kept its benchmark overnight rate in the 4.25%-4.50% range, where it has
been since December. The decision was unanimous.

Policymakers' new projections showed the economy growing 1.4% this year, down from the 1.7%
they projected in March, and the unemployment rate rising to 4.5% by the end of the year.
They now see inflation at 3%.

"Increases in tariffs this year are likely to push up prices and weigh on economic activity,"
Fed Chair Jerome Powell told reporters after the meeting. He said the central bank was "well
positioned to wait to learn more" before adjusting rates.

President Donald Trump has repeatedly criticised Powell for not cutting rates faster and
called him "a numbskull" on social media hours before the decision.

Stocks on Wall Street ended slightly lower, while Treasury yields were little changed. Futures
markets now price the first cut for September.

Traders will next look to policy meetings of the European Central Bank and the Bank of Japan,
both of which are expected to keep rates on hold this month.
""",
)

art(
    ECONOMY,
    ["CN"],
    ["US", "VN", "MX", "ASEAN", "HK"],
    "China's exports beat forecasts as shipments to Southeast Asia surge",
    """
BEIJING - China's exports grew faster than expected in March, customs data showed on Monday,
as factories rushed out orders ahead of new tariffs and shipments to Southeast Asia climbed to
a record.

Outbound shipments rose 12.4% from a year earlier, well above the 4.4% forecast by economists
in a Reuters poll and up from 2.3% in the first two months of the year. Imports fell 4.3%,
reflecting weak demand at home.

The trade surplus widened to $102.6 billion, one of the highest on record.

Exports to the United States rose 9% from a year earlier, but analysts expect them to fall
sharply in the coming months after Washington raised tariffs on Chinese goods to well over
100%. Shipments to the ten ASEAN economies rose 11.6%.

"The front-loading is over and the real test starts now," said an economist at a Hong Kong
investment bank.

Some of the growth in exports to the region reflects goods that are assembled or repackaged
there before being sent on to American buyers, economists say. Officials in Vietnam and
Mexico have promised to crack down on such transshipment.

Beijing has set an economic growth target of around 5% for this year and has pledged to
increase spending to support consumption, as a long property slump weighs on household
confidence.
""",
)

art(
    ECONOMY,
    ["OPEC", "SA"],
    ["RU", "IQ", "KZ", IMF],
    "OPEC+ agrees to extend oil output cuts into 2025",
    """
RIYADH - OPEC+ agreed on Sunday to extend most of its deep oil output cuts well into 2025, as
the group seeks to shore up prices in the face of tepid demand growth, rising interest rates
and increasing output from rival producers.

The Organization of the Petroleum Exporting Countries and allies led by Russia, which together
pump about half of the world's oil, have made a series of cuts since late 2022 amounting to
5.86 million barrels per day, about 5.7% of global demand.

The group extended cuts of 3.66 million bpd by a year until the end of 2025 and extended cuts
of 2.2 million bpd by three months until the end of September 2024. The latter cuts will then
be gradually phased out over a year.

Saudi Energy Minister Prince Abdulaziz bin Salman told reporters that the group could pause
or reverse the unwinding if market conditions required.

The kingdom needs oil prices of about $90 a barrel to balance its budget, according to
estimates by the International Monetary Fund, as it spends heavily on projects to diversify
its economy.

Some members have struggled to comply with their quotas. Iraq and Kazakhstan, which have
overproduced for months, submitted plans to make additional cuts to compensate.

Brent crude futures were trading near $81 a barrel before the meeting, down from more than
$90 in April.
""",
)

art(
    ECONOMY,
    ["GB"],
    ["US", "European Central Bank"],
    "Bank of England cuts rates to 4.25% as trade war clouds outlook",
    """
LONDON - The Bank of England cut interest rates by a quarter point to 4.25% on Thursday, but
gave no sign of speeding up the pace of reductions as policymakers split three ways over
the decision.

Five members of the Monetary Policy Committee voted for the cut, two wanted a larger
half-point reduction and two voted to keep rates on hold, reflecting uncertainty over the
impact of global tariffs on the British economy.

"We're still on a gradual and careful path," Governor Andrew Bailey said.

The Bank said tariffs announced by the U.S. government would reduce global growth and lower
inflation in Britain slightly, but that their full impact was hard to judge. It cut its
forecast for economic growth next year to 1.25% from 1.5%.

Inflation rose to 2.6% in March and is expected to climb to about 3.5% later this year, as
higher energy and water bills feed through, before falling back.

Finance minister Rachel Reeves welcomed the cut, saying it would help families with
mortgages. Sterling fell slightly against the dollar after the announcement.

Investors expect one or two more cuts this year. The Bank's decision follows a similar move
by the European Central Bank last month, while the Federal Reserve has kept its rates on
hold.
""",
)

art(
    ECONOMY,
    ["JP"],
    ["US", "CN"],
    "Toyota profit slides as tariffs and strong yen bite",
    """
NAGOYA - Toyota Motor, Japan's largest company by market value, reported a 37% drop in
quarterly operating profit on Thursday and cut its full-year forecast, as tariffs on cars and
a stronger yen weighed on earnings.

The world's biggest automaker by sales said operating profit for April-June fell to 1.17
trillion yen ($7.9 billion), below analysts' expectations. It now expects a full-year profit
of 3.2 trillion yen, down from a previous forecast of 3.8 trillion yen.

Toyota estimated that tariffs would cut its profit by 1.4 trillion yen this financial year.
Its largest market is the United States, where it sells more than 2 million vehicles a year,
about half of them imported.

"We are doing everything we can to absorb the impact while protecting our suppliers," chief
financial officer Kenta Kon told a news conference.

Sales of hybrid vehicles remained strong, helping the company hold its market share at home
and in North America. Sales in China, where local electric-vehicle makers are taking share
from foreign brands, fell 5%.

The government in Tokyo reached a deal with Washington last month that lowers tariffs on
Japanese cars to 15% from 27.5%, but the lower rate has not yet taken effect.

Toyota's shares rose 1% after the results, as some investors had expected a larger cut to the
forecast.
""",
)

art(
    ECONOMY,
    ["AR"],
    [IMF],
    "Argentina's monthly inflation falls to lowest in four years",
    """
BUENOS AIRES - Argentina's monthly inflation rate fell to 2.2% in January, its lowest in more
than four years, official data showed on Thursday, handing President Javier Milei a boost
as he seeks to lift currency controls.

Annual inflation slowed to 84.5%, from a peak of almost 300% in April last year, the national
statistics agency INDEC said. Analysts polled by the central bank had expected a monthly
rate of 2.3%.

Milei, a self-described anarcho-capitalist who took office in December 2023, has slashed
public spending, cut subsidies and devalued the peso, achieving the country's first budget
surplus in more than a decade.

"Inflation is dying," the presidency said in a statement.

The austerity has come at a high cost. Poverty rose above 50% in the first half of last year
before falling back, and economic activity contracted sharply, although it has started to
recover in recent months.

The government is negotiating a new loan programme with the International Monetary Fund,
which would help it rebuild central bank reserves and remove the currency controls known as
the "cepo" that limit access to dollars.

Economists said prices of food and services were rising more slowly, but warned that a
stronger peso was hurting exporters and could not be sustained indefinitely.
""",
)

art(
    ECONOMY,
    ["European Central Bank", "Eurostat"],
    ["DE", "FR", "IT", "ES", "NL"],
    "Euro zone inflation eases to 2.2%, backing case for ECB cut",
    """
FRANKFURT - Inflation in the 20 countries that use the euro eased to 2.2% in March from 2.3%
in February, Eurostat data showed on Tuesday, strengthening the case for the European Central
Bank to cut interest rates again this month.

Economists polled by Reuters had expected inflation to ease to 2.2%. Core inflation, which
excludes volatile food and energy prices and is watched closely by policymakers, fell to 2.4%,
its lowest since January 2022.

Services inflation, a key concern for the central bank because it reflects wage growth,
slowed to 3.4% from 3.7%.

Among the largest economies, the harmonised rate was 2.3% in Germany, 0.9% in France, 2.1%
in Italy and 2.3% in Spain.

"The disinflation process is well on track," said an economist at a Dutch bank. "This gives
the ECB room to cut again in April, especially with tariffs weighing on growth."

The ECB has lowered its deposit rate six times since last June, to 2.5%. Policymakers have
said they will decide meeting by meeting but several have signalled openness to another cut.

Markets now price a roughly 80% chance of a quarter-point reduction at the bank's next
meeting on April 17. The euro was little changed against the dollar after the data.
""",
)

art(
    ECONOMY,
    ["IN"],
    ["CN"],
    "India's economy grows 7.8% in fastest pace in five quarters",
    """
NEW DELHI - India's economy grew 7.8% in the April-June quarter from a year earlier, its
fastest pace in five quarters, government data showed on Friday, beating expectations thanks
to strong farm output and government spending.

Economists polled by Reuters had forecast growth of 6.7%. The economy grew 7.4% in the
previous quarter.

Manufacturing grew 7.7% and construction 7.6%, while the services sector, which accounts for
more than half of output, expanded 9.3%.

Chief economic adviser V. Anantha Nageswaran said the figures showed the economy's
resilience. "Domestic demand remains strong and the outlook for the year is positive," he
told reporters.

Economists said the strong number may not last, as higher tariffs on Indian exports to their
largest market came into effect this week. Textiles, jewellery and seafood exporters have
warned of job losses.

Private investment also remains weak, and urban consumption has slowed. The government cut
income taxes in the February budget and the central bank has lowered interest rates by a
full percentage point this year to support growth.

The data keep India the fastest-growing major economy in the world, well ahead of China,
which has reported growth of about 5%.
""",
)

art(
    ECONOMY,
    ["CH"],
    ["DE", "US"],
    "Swiss National Bank cuts rates to zero as franc strengthens",
    """
ZURICH - The Swiss National Bank cut its main interest rate to zero on Thursday, its sixth
reduction in a row, as the strong franc and global trade tensions pushed inflation in
Switzerland towards the bottom of its target range.

The central bank lowered its policy rate by a quarter point from 0.25%, in line with
expectations of most economists, and said it remained willing to intervene in foreign exchange
markets if necessary.

Chairman Martin Schlegel said the bank would not hesitate to take rates below zero again if
needed, but that the hurdle to do so was high. "Negative interest rates have side effects,"
he told a news conference in Bern.

Swiss consumer prices fell 0.1% in May from a year earlier, the first annual decline since
2021, as the safe-haven franc climbed against the euro and the dollar, making imports
cheaper.

The franc has gained about 10% against the dollar this year as investors sought safety from
trade disputes. A stronger currency hurts Swiss exporters of watches, machinery and
pharmaceuticals.

The bank cut its inflation forecast for next year to 0.5%. It said the economy was expected
to grow by 1% to 1.5% this year, with weaker demand from Germany, its biggest trading partner,
and the United States clouding the outlook.
""",
)

art(
    ECONOMY,
    ["NG"],
    [IMF, "World Bank"],
    "Nigeria's naira hits record low after central bank eases controls",
    """
LAGOS - Nigeria's naira fell to a record low on the official market on Wednesday after the
central bank removed a cap on the rate that banks may charge, the latest step in an overhaul
of Africa's largest economy by President Bola Tinubu.

The currency weakened to 1,450 per dollar, from about 900 a month earlier, narrowing the gap
with the parallel market, where it traded at about 1,480.

Central bank governor Olayemi Cardoso said the move would attract foreign investors who had
stayed away because they could not repatriate their money. "We want a market where prices
are set by buyers and sellers," he told lawmakers in Abuja.

Since taking office in May, Tinubu has also scrapped a costly petrol subsidy, causing fuel
prices to triple and pushing inflation above 28%, its highest in nearly three decades.

Businesses that import raw materials said the weaker currency would raise their costs
further. Labour unions have threatened a general strike unless the minimum wage is raised.

The central bank has promised to clear a backlog of about $7 billion in foreign exchange
demand owed to airlines, manufacturers and investors.

Both the International Monetary Fund and the World Bank have praised the reforms, while urging
the government to do more to protect the poorest households from rising prices.
""",
)

art(
    ECONOMY,
    ["ZA"],
    [],
    "South Africa marks a year without rolling blackouts",
    """
JOHANNESBURG - State power utility Eskom said on Monday it had gone a full year without
imposing rolling blackouts, a milestone for an economy that endured record power cuts as
recently as 2023.

The utility said improvements at its ageing coal-fired plants had lifted the share of
capacity available at any time to above 60%, from about 50% two years ago. A boom in rooftop
solar panels installed by households and businesses has also reduced demand on the grid.

"The turnaround is real, but it is fragile," Eskom's chief executive Dan Marokane told a
briefing, adding that breakdowns remained frequent in winter.

The blackouts, known locally as load-shedding, cost the economy billions of rands and were
one of the main complaints of voters in last year's election, in which the African National
Congress lost its majority for the first time since the end of apartheid in 1994.

The government of national unity that followed has promised to open electricity generation
to private companies and to split Eskom into separate units for generation and transmission.

Economists said reliable power was one reason business confidence had risen this year, but
that growth remained too slow to reduce unemployment, which stands at about 32%.

Electricity prices are set to rise by almost 13% in April, which consumer groups said would
hurt poor households.
""",
)

art(
    ECONOMY,
    ["World Bank"],
    ["US", "CN", "IN", EU],
    "World Bank cuts global growth forecast, citing trade barriers",
    """
WASHINGTON - The World Bank on Tuesday cut its forecast for global economic growth this year
to 2.3%, from the 2.7% it projected in January, saying higher trade barriers and uncertainty
were weighing on almost every economy.

In its twice-yearly Global Economic Prospects report, the lender said the downgrade would
make this decade the weakest for global growth since the 1960s, outside of recessions.

"Outside of Asia, the developing world is becoming a development-free zone," the bank's
chief economist, Indermit Gill, said in a foreword to the report.

The bank lowered its forecasts for nearly 70% of economies, including the largest ones and
every developing region. It cut its growth forecast for the United States to 1.4% and left
its forecast for China at 4.5%, while India was expected to remain the fastest-growing large
economy at 6.3%. Growth in the euro area was seen at just 0.7%, with European Union trade
with its partners disrupted.

The report said global trade growth would slow to 1.8% this year, from 3.4% in 2024, and that
tariffs had reached their highest level in nearly a century.

The bank urged governments to negotiate to lower trade barriers, and said poorer countries
should raise more revenue at home and spend it better, as aid budgets shrink.
""",
)

art(
    ECONOMY,
    ["TR"],
    ["US"],
    "Turkey's central bank unexpectedly raises rates to 46%",
    """
ISTANBUL - Turkey's central bank unexpectedly raised its main interest rate by 350 basis
points to 46% on Thursday, reversing course after a political crisis triggered heavy selling
of the lira last month.

Most economists had expected the bank to keep the rate on hold at 42.5%. The bank also raised
the overnight lending rate to 49%.

The decision came after the detention of Istanbul mayor Ekrem Imamoglu, President Tayyip
Erdogan's main political rival, set off the largest street protests in more than a decade
and sent the lira to a record low. The central bank sold an estimated $50 billion of
foreign currency reserves to support the currency.

In its statement, the bank said it would keep policy tight "until price stability is
achieved" and pointed to risks from global trade tensions.

Annual inflation stood at 38.1% in March, down from a peak of 75% last May. The bank had
cut rates three times since December as inflation eased.

Finance Minister Mehmet Simsek said the economic programme would continue despite "external
and domestic shocks".

The lira was little changed after the decision at about 38.4 per dollar. Analysts said the
hike showed that the economic team still had Erdogan's backing, but that the political
turmoil had set back plans to bring inflation down to 24% by the end of the year and to
attract investors from the U.S. and Europe.
""",
)

art(
    ECONOMY,
    ["NL", "CN"],
    ["US"],
    "Dutch government tightens export curbs on chipmaking machines to China",
    """
THE HAGUE - The Netherlands said on Friday it would require export licences for more of ASML's
chipmaking machines, widening curbs aimed at stopping advanced semiconductor technology from
reaching China.

The new rules cover some older deep ultraviolet lithography systems that could until now be
shipped without a licence, Trade Minister Reinette Klever said in a letter to parliament. They
take effect on Sept. 7.

"We have taken this step because of security considerations," Klever wrote. She said the
measure was not aimed at any particular country.

ASML, Europe's most valuable technology company, said it did not expect the measures to change
its outlook for this year. Chinese customers accounted for almost half of its sales in the
second quarter as they rushed to buy equipment before restrictions took effect.

Beijing's commerce ministry said it was "dissatisfied" with the decision and urged the Dutch
side to respect market principles. "China will take necessary measures to protect its
interests," a spokesperson said.

The Dutch government has been under pressure from Washington for two years to align its
export controls with American rules that bar sales of advanced chip technology to Chinese
companies.

Shares in ASML rose 1.5% in Amsterdam after the announcement, as investors had feared tighter
rules.
""",
)

art(
    ECONOMY,
    ["AU"],
    ["CN"],
    "Australian miners cut jobs as iron ore price slumps",
    """
PERTH - Australian mining companies are cutting jobs and delaying expansion plans after the
price of iron ore, the country's biggest export, fell below $90 a tonne for the first time in
almost two years.

Fortescue said on Tuesday it would cut about 700 jobs, including 10% of its office staff,
while smaller producer Mineral Resources said it would put a mine in the Pilbara region into
care and maintenance.

"We've got to be disciplined about costs when the price is where it is," Fortescue's chief
executive told reporters in Perth.

The price of the steelmaking ingredient has dropped by more than a third this year as a
prolonged property downturn in China, which buys about 70% of the world's seaborne iron ore,
reduced demand from steel mills.

The slump is a blow to the federal budget in Canberra, which has relied on high commodity
prices to deliver surpluses. Treasury officials assume a price of $60 a tonne in their
forecasts, a conservative figure that means a fall below that level would hit revenue.

Western Australia's state government said it was working with companies to find new jobs for
affected workers, many of whom fly in from Perth to remote mines.

Analysts said bigger producers such as BHP and Rio Tinto could withstand lower prices because
of their low costs, but warned that demand from Chinese mills was unlikely to recover soon.
""",
)

art(
    ECONOMY,
    ["VN"],
    ["KR", "JP", "SG"],
    "Foreign investment into Vietnam hits record as firms shift supply chains",
    """
HANOI - Foreign direct investment into Vietnam rose to a record $25.4 billion last year, the
planning ministry said on Friday, as manufacturers continued to move production away from
other parts of Asia.

Disbursed investment, which measures money actually spent, rose 9.4%, while new pledges of
investment were worth $38.2 billion, the ministry said in a report.

Manufacturing and processing accounted for about two-thirds of new pledges. The largest
investors were from Singapore, South Korea and Japan, the report said, with several large
projects in electronics and semiconductors.

Samsung Electronics, the biggest single foreign investor in the country, employs about
100,000 people at its factories in the north and has said it will invest $1 billion more in a
display plant.

"The country has become one of the main winners of the reorganisation of supply chains,"
said an economist at a bank in Ho Chi Minh City. "But it must invest in power supply and
skilled workers to keep that position."

Power shortages in the summer of 2023 forced factories to cut production, and the government
has since promised to speed up construction of transmission lines.

The economy grew 7.1% last year, one of the fastest rates in Asia, helped by exports, which
rose more than 14%.
""",
)

art(
    ECONOMY,
    ["GR"],
    [EU, "IT"],
    "Greece regains investment grade with second rating upgrade",
    """
ATHENS - Greece's credit rating was raised to investment grade by S&P Global on Friday, more
than a decade after the country's debt crisis pushed it to the brink of leaving the euro.

S&P raised its rating by one notch to BBB-, citing the government's commitment to fiscal
discipline, strong economic growth and a rapid decline in public debt. It was the first of
the three main agencies to restore Athens to investment grade since 2010.

"This is a great day for the country," Prime Minister Kyriakos Mitsotakis said on social
media, crediting the sacrifices made by ordinary Greeks.

Public debt is forecast to fall to about 160% of gross domestic product this year, from over
200% during the pandemic, still the highest ratio in the euro zone. The economy has grown
faster than the euro area average for three years, helped by tourism and European Union
recovery funds.

The upgrade means that many large investment funds that could not hold Greek government bonds
will now be able to buy them, lowering borrowing costs.

Greek bond yields have already fallen below those of Italy in recent months as investors
anticipated the upgrade.

The government has said it will use a budget surplus to repay rescue loans early and plans to
raise the minimum wage again next year.
""",
)

art(
    ECONOMY,
    ["SA"],
    ["US", "GB"],
    "Saudi Aramco raises $12 billion in secondary share sale",
    """
DUBAI - Saudi Arabia raised about $12.35 billion from a sale of shares in state oil giant
Aramco, which drew strong demand from foreign investors, a person familiar with the matter
said on Sunday.

The government sold about 1.5 billion shares, or 0.64% of the company, at 27.25 riyals each,
at the bottom of the range it had set. Foreign investors accounted for more than half of the
demand, the person said.

The sale is the biggest equity offering in the world this year and the largest in the Gulf
since Aramco's initial public offering in 2019, which raised $29.4 billion.

The kingdom needs money to fund Crown Prince Mohammed bin Salman's plans to diversify the
economy away from oil, including the construction of new cities and investments in tourism,
mining and sport. The government has been running a budget deficit as oil prices have fallen
and output cuts have reduced revenues.

Aramco's shares closed 0.4% lower on Sunday.

The offering was managed by a group of banks including Goldman Sachs, HSBC and Morgan
Stanley, as well as local banks. Bankers said the government had visited investors in the
United States and Britain to build demand before the sale.

The state still owns more than 81% of the company directly, while the Public Investment Fund
holds 16%.
""",
)

# --- conflict ----------------------------------------------------------------------------

art(
    CONFLICT,
    ["SD"],
    [UN, "AE", "TD"],
    "Paramilitary forces seize army base in Sudan's El Fasher",
    """
PORT SUDAN - Sudan's paramilitary Rapid Support Forces said on Sunday they had captured the
army's last major base in El Fasher, the capital of North Darfur, after an 18-month siege of
the city that has left hundreds of thousands of people trapped.

The army did not confirm the loss of the base but said its troops were still fighting inside
the city. Residents reached by satellite phone described heavy shelling and drone strikes
overnight and said many families were trying to flee on foot.

"There is no food, no water and no way out," said one resident, a teacher, who asked not to
be named for fear of reprisals.

The United Nations said it had received reports of civilians being killed as they tried to
escape, and called for a safe passage. Aid workers said the main hospital had stopped
functioning weeks ago.

The war between the army and the RSF broke out in April 2023 in a struggle for power ahead of
a planned transition to civilian rule. It has killed tens of thousands of people and driven
more than 12 million from their homes, creating what aid agencies call the world's largest
humanitarian crisis.

The army accuses the United Arab Emirates of arming the RSF, which the Gulf state denies. Many
of those who escape Darfur end up in camps across the border in Chad.
""",
)

art(
    CONFLICT,
    ["UA", "RU"],
    [],
    "Ukrainian drones hit Russian refinery hundreds of miles from border",
    """
KYIV - Ukrainian long-range drones struck an oil refinery in Russia's Volgograd region
overnight, starting a large fire and halting part of its production, a source in Ukraine's
security service said on Tuesday.

The regional governor said debris from a downed drone had caused the fire, which was put out
by morning. He said no one was hurt. The Russian defence ministry said air defences had
destroyed 67 drones over several regions.

The refinery, one of the largest in southern Russia, processes about 15 million tonnes of
crude a year. Industry sources said one of its main units would be out of action for at
least two weeks.

"Every refinery that stops is less fuel for the Russian army," the source in the security
service said.

Kyiv has stepped up attacks on energy facilities far from the front line this year, using
drones built in Ukraine that can fly more than 1,000 km. Analysts estimate that the strikes
have at times knocked out about 17% of Russia's refining capacity, prompting Moscow to ban
petrol exports.

Russia has meanwhile continued its own bombardment of Ukrainian cities and power plants.
Overnight, a missile strike on the city of Kharkiv killed three people and wounded 20,
regional officials said.
""",
)

art(
    CONFLICT,
    ["IL", "LB"],
    ["IR", "US", "UNIFIL", "FR", UN],
    "Israeli strikes hit southern Lebanon despite ceasefire",
    """
BEIRUT - Israeli air strikes hit several villages in southern Lebanon on Monday, killing at
least five people, Lebanon's health ministry said, in some of the heaviest attacks since a
ceasefire with Hezbollah took effect last year.

The Israeli military said it had struck Hezbollah weapons depots and rocket launchers that
posed a threat to Israel, and accused the group of trying to rebuild its forces near the
border in breach of the truce.

Lebanese President Joseph Aoun condemned the strikes as "a flagrant violation" of the
agreement and called on the countries that brokered it to pressure Israel to stop.

Under the ceasefire, Hezbollah was to withdraw its fighters north of the Litani River and the
Lebanese army was to deploy in the south. Israel has kept troops at five hilltop positions
inside Lebanon and carries out near-daily strikes.

"We wake up to drones and we go to sleep to drones," said a farmer in the village of Kfar
Kila.

Hezbollah, which is backed by Iran, was badly weakened in the war, which killed most of its
senior leaders. It has not responded militarily to the strikes.

The ceasefire was mediated by the United States and France. A spokesperson for UNIFIL, the
peacekeeping force in the south, said its troops had recorded several violations of the
truce by both sides.
""",
)

art(
    CONFLICT,
    ["MM"],
    ["TH", "ASEAN", "CN"],
    "Myanmar junta air strike kills dozens at village festival",
    """
An air strike by Myanmar's military killed at least 40 people, including children, at a
religious festival in a village in the central Sagaing region, residents and a local
resistance group said on Wednesday.

A fighter jet dropped two bombs on a crowd of about 300 people who had gathered for a
candle-lighting ceremony late on Tuesday, a resident who helped bury the victims said by
phone.

"There were bodies everywhere, we could not recognise some of them," he said.

The junta, which seized power in a coup in February 2021, did not respond to requests for
comment. It has previously said it targets only "terrorists", its term for the armed groups
fighting to overthrow it.

The military has increasingly relied on air power as it has lost territory to ethnic
minority armies and pro-democracy militias, and has bombed schools, monasteries and camps for
displaced people.

More than 3.5 million people have been displaced by the fighting, and thousands have crossed
into neighbouring Thailand.

The regional bloc ASEAN has barred the junta's leaders from its summits since they failed to
carry out a peace plan agreed in 2021, but has made little progress. Human rights groups
accuse China of supplying the military with aircraft.
""",
)

art(
    CONFLICT,
    ["CD", "RW"],
    ["MONUSCO", "UG", UN],
    "M23 rebels enter Goma as Congo's army retreats",
    """
GOMA, Democratic Republic of Congo - Rwanda-backed M23 rebels entered the centre of Goma, the
largest city in eastern Congo, on Monday, after days of fighting that sent thousands of
people fleeing and left bodies lying in the streets.

Gunfire and explosions could be heard across the city, and residents said rebel fighters were
walking through the streets. Congolese soldiers were seen handing their weapons to United
Nations peacekeepers.

"We are trapped in our houses, there is shooting everywhere," said a resident of the Katindo
district.

The government in Kinshasa called the offensive a "declaration of war" and cut diplomatic ties
with Kigali. Congolese officials accuse Rwanda of sending thousands of its own troops to
fight alongside the rebels, a charge backed by UN experts. Rwanda denies backing the group and
says it is defending itself against Hutu militias based in Congo.

The UN peacekeeping mission, MONUSCO, said its bases were sheltering civilians and that
several peacekeepers had been killed.

The fall of Goma, a city of about 2 million people near the border, would be the biggest
escalation of a conflict that has simmered for more than a decade. The eastern provinces hold
large deposits of gold, coltan and tin.

Neighbouring Uganda said it had reinforced its troops on the border.
""",
)

art(
    CONFLICT,
    ["HT", "KE"],
    [UN, "US", "United Nations Security Council"],
    "Kenyan-led police mission struggles as gangs tighten grip on Haiti's capital",
    """
PORT-AU-PRINCE - Gangs have taken control of two more neighbourhoods on the edge of Haiti's
capital in the past week, residents said, despite the presence of a Kenyan-led international
police force that arrived a year ago to restore order.

Gunmen from the Viv Ansanm coalition burned houses and a police station in the district of
Kenscoff, forcing thousands of people to flee, according to local officials.

The multinational mission, authorised by the UN Security Council, has about 1,000 officers,
far short of the 2,500 planned, and has been hampered by a lack of funds and equipment. About
two thirds of the officers come from Kenya.

"We are doing our best with what we have," the mission's commander said in an interview,
adding that his officers needed armoured vehicles and helicopters.

In Nairobi, opposition lawmakers have called for the officers to be brought home, after two of
them were killed this year.

Gangs now control about 85% of Port-au-Prince, according to UN estimates, and violence has
displaced more than a million people across the country. The transitional government has
promised elections but no date has been set.

The United States, the mission's largest funder, has proposed turning it into a larger force
with a broader mandate to fight gangs.
""",
)

art(
    CONFLICT,
    ["YE"],
    ["IR", "GR", "LR", "US", "GB", "IL", "PS"],
    "Iran-backed Houthis claim attack on cargo ship in Red Sea",
    """
DUBAI - Yemen's Iran-backed Houthi movement said on Tuesday it had attacked a cargo ship in the
Red Sea with drones and missiles, the latest in a campaign against shipping that it says is in
solidarity with Palestinians in Gaza.

The British military's maritime agency said a vessel had reported an explosion close to its
hull about 70 nautical miles west of the port of Hodeidah. The crew was safe and the ship was
continuing to its next port.

The Houthis' military spokesman said in a televised statement that the group had targeted the
ship because its owner's other vessels had called at Israeli ports.

The vessel is a Liberian-flagged bulk carrier owned by a Greek company, according to shipping
databases.

The Houthis, who control most of Yemen's population centres including the capital Sanaa, have
attacked more than 100 merchant ships since November 2023, sinking two and seizing one. The
attacks have forced many shipping companies to send vessels around the southern tip of
Africa, adding weeks to journeys.

American and British warplanes have carried out repeated strikes on Houthi targets since
January 2024, without stopping the attacks.

The group's leader said in a speech last week that operations would continue until the war in
Gaza ended.
""",
)

art(
    CONFLICT,
    ["SO"],
    ["African Union", "TR", "US"],
    "Al Shabaab fighters storm hotel in Somali capital",
    """
MOGADISHU - Al Shabaab militants stormed a hotel near the presidential palace in Mogadishu on
Saturday, killing at least nine people in a siege that lasted more than 12 hours before
security forces regained control, police said.

The attack began with a car bomb at the hotel's gate, followed by gunmen who forced their way
inside and took guests hostage, a police spokesman said. Several senior officials were among
those rescued.

"The last of the attackers were killed in the early hours of Sunday," the spokesman told
reporters.

The al Qaeda-linked group, which has fought for more than 15 years to topple the
internationally backed government, claimed responsibility in a statement on a website it
uses.

Al Shabaab has regained ground in central Somalia this year, reversing gains made by the army
and clan militias in an offensive launched in 2022. Analysts say the group is exploiting
divisions between the federal government and regional states.

The attack comes as an African Union peacekeeping force is being reorganised and reduced,
leaving the Somali army to take on more of the fighting. Donors have struggled to agree on
how to pay for the new mission.

Turkish-trained special forces units took part in the operation at the hotel, officials said.
The U.S. military has carried out air strikes against the group this year.
""",
)

art(
    CONFLICT,
    ["AM", "AZ"],
    ["US", "RU", "TR"],
    "Armenia and Azerbaijan initial peace deal ending decades of conflict",
    """
The leaders of Armenia and Azerbaijan initialled a peace agreement on Friday that aims to end
nearly four decades of conflict between the two South Caucasus neighbours, at a ceremony at
the White House.

Armenian Prime Minister Nikol Pashinyan and Azerbaijani President Ilham Aliyev shook hands
and signed a joint declaration committing them to recognise each other's borders and to
refrain from force.

The deal also provides for a transit route across southern Armenia linking Azerbaijan to its
exclave of Nakhchivan, a long-standing demand of Baku. The route will be developed under a
lease to a consortium with American participation.

"Today we are laying the foundation for a new era in our region," Aliyev said. Pashinyan
called the agreement "a historic breakthrough".

The two former Soviet republics fought two wars over the mountainous region of Nagorno-
Karabakh, which Azerbaijan retook in a lightning offensive in 2023, prompting almost all of
its ethnic Armenian population of about 100,000 to flee.

The agreement must still be signed and ratified. Azerbaijan has demanded that Armenia first
change its constitution, which it says contains territorial claims.

Russia, which has long been the main power broker in the region, was not involved in the
talks. Turkey, an ally of Baku, welcomed the agreement.
""",
)

art(
    CONFLICT,
    ["IN", "PK"],
    ["CN", "US"],
    "India and Pakistan trade fire along Kashmir frontier after militant attack",
    """
SRINAGAR - Indian and Pakistani troops exchanged fire along the Line of Control in Kashmir for a
third night, the Indian army said on Sunday, as tensions between the nuclear-armed neighbours
rose after a militant attack killed 26 people, most of them tourists.

The army said Pakistani posts had opened fire with small arms at several points and that its
troops had responded. There were no reports of casualties. Islamabad did not immediately
comment on the latest incident.

New Delhi has blamed Pakistan for the attack near the resort town of Pahalgam, the deadliest
on civilians in the region in more than two decades. Islamabad has denied any role and called
for a neutral investigation.

Since the attack, India has suspended a decades-old treaty governing the sharing of river
waters, closed the main land border crossing and expelled Pakistani military advisers.
Pakistan has closed its airspace to Indian airlines and suspended trade.

"Those responsible will be pursued to the ends of the earth," Prime Minister Narendra Modi
told a rally.

Both countries claim Kashmir in full but rule it in part, and have fought two of their three
wars over the region. Diplomats said several governments, including China, had urged both
sides to show restraint, and the U.S. secretary of state spoke to both prime ministers.
""",
)

art(
    CONFLICT,
    ["SY"],
    ["TR", "IL", "RU"],
    "Hundreds killed in clashes on Syria's coast, monitor says",
    """
DAMASCUS - More than 1,000 people have been killed in three days of clashes between Syria's new
security forces and fighters loyal to ousted President Bashar al-Assad in the country's
coastal region, a war monitor said on Sunday, many of them civilians from the Alawite
minority.

The Syrian Observatory for Human Rights said at least 745 civilians had been killed in
revenge killings in villages around the cities of Latakia and Tartus, which are home to many
Alawites, the sect to which Assad belongs.

Interim President Ahmed al-Sharaa called for national unity and promised to punish anyone who
harmed civilians. "We will hold accountable, firmly and without leniency, anyone who is
involved in the bloodshed," he said in a speech from a mosque in Damascus.

Residents described gunmen going from house to house. "They killed my neighbours in front of
their children," a woman from the town of Baniyas said by phone.

The violence began on Thursday when Assad loyalists ambushed security patrols. The government
sent thousands of reinforcements, and armed volunteers joined them.

It is the worst bloodshed since rebels led by al-Sharaa's Islamist group overthrew Assad in
December. Foreign powers with a stake in the country's future have urged calm. Turkey backs
the new authorities, Israel has carried out strikes in the south, and Russia keeps a naval
base near Tartus.
""",
)

art(
    CONFLICT,
    ["ET"],
    ["ER", UN],
    "Fighting flares in Ethiopia's Amhara region as militia attacks towns",
    """
ADDIS ABABA - Fighting between Ethiopia's federal army and the Fano militia has spread to
several towns in the Amhara region, residents and aid workers said on Thursday, in the worst
violence there in months.

Fano fighters briefly entered the town of Debre Markos on Tuesday and freed prisoners from a
jail before withdrawing, two residents said. Drone strikes hit the outskirts of the town the
following day.

"We stay at home, nobody goes out after noon," said a shopkeeper who asked not to be named.

The militia fought alongside federal forces during the two-year war in the neighbouring Tigray
region, which ended in 2022, but turned against the government after it announced plans to
disband regional forces.

The government declared a state of emergency in Amhara in August 2023. It says Fano is a
criminal group and that its forces are restoring order. A spokesperson for the government did
not respond to requests for comment.

Aid groups say the fighting has cut roads, closed schools and disrupted the harvest. The United
Nations humanitarian office estimates that more than 4 million people in the region need
assistance.

Analysts warn that tensions with neighbouring Eritrea, whose troops fought in Tigray, could add
to the instability.
""",
)

art(
    CONFLICT,
    ["CO"],
    ["VE"],
    "ELN rebels kill soldiers in attack on Colombian army base",
    """
BOGOTA - Fighters from the National Liberation Army (ELN) attacked an army base in northeastern
Colombia with explosives and drones on Tuesday, killing seven soldiers and wounding more than
20, the defence ministry said.

The attack in the Catatumbo region, a coca-growing area near the border with Venezuela, was
one of the deadliest on security forces in years. The ministry said the base came under fire
before dawn.

President Gustavo Petro suspended peace talks with the group and called it a "drug
trafficking" organisation. "There is no political project in killing young soldiers," he wrote
on social media.

Petro, a former guerrilla who took office in 2022, has sought to negotiate with armed groups
under a policy he calls "total peace". Critics say the groups have used ceasefires to expand
their territory and recruit more fighters.

Fighting in Catatumbo between the ELN and former members of the FARC guerrilla group has
displaced more than 50,000 people since January, the largest displacement in the country in
decades.

The defence minister said troops would be sent to the area. The armed forces say the ELN
uses camps across the border to hide and regroup.

The ELN has about 6,000 fighters, according to military estimates, and finances itself through
drug trafficking, illegal mining and extortion.
""",
)

art(
    CONFLICT,
    ["ML", "RU"],
    ["FR", "BF", "NE"],
    "Russia's Africa Corps replaces Wagner in Mali as attacks mount",
    """
BAMAKO - Russia's Africa Corps has taken over the role of the Wagner mercenary group in Mali,
the group said on Friday, as the West African country's military government battles an
Islamist insurgency that has spread close to the capital.

Wagner said on its Telegram channel that it had completed its mission in Mali and was leaving
after three and a half years. A unit controlled by the Russian defence ministry, the Africa
Corps, will stay, according to people familiar with the arrangement.

Wagner fighters had been accused by rights groups of taking part in massacres of civilians
alongside Malian troops, accusations the junta has denied.

"Nothing changes for us, our partnership with the Russian Federation continues," a junta
spokesperson told state television.

The handover comes after militants linked to al Qaeda attacked military posts in several
regions in recent weeks, killing dozens of soldiers. Security analysts said the insurgents
now operate within a few hundred kilometres of Bamako.

The junta, which seized power in 2020 and 2021, expelled French troops who had fought
militants in the region for a decade and turned to Moscow for military help. It has formed a
confederation with the military governments of Burkina Faso and Niger, which have also cut
ties with Paris.
""",
)

art(
    CONFLICT,
    ["PS", "UNRWA", "IL"],
    ["EG", UN, "JO", "SY", "LB", "UN Secretary-General"],
    "UNRWA warns aid operation in Gaza near collapse after Israeli ban takes effect",
    """
GAZA - The UN agency for Palestinian refugees warned on Thursday that its operations in Gaza
were close to collapse after an Israeli law banning its activities took effect, cutting off
contact between its staff and Israeli authorities.

UNRWA, which provides food, health care and schooling to millions of Palestinians, said its
clinics in Gaza remained open but that it could no longer coordinate the movement of aid
convoys with the Israeli military.

"The consequences for the people of Gaza will be devastating," the agency's commissioner
general Philippe Lazzarini said.

Israel's parliament passed the law in October, accusing the agency of being infiltrated by
Hamas. Israeli officials say several UNRWA staff took part in the Oct. 7, 2023 attack on
Israel. The agency says it fired staff against whom there was evidence and that Israel has not
provided proof for most of its claims.

Israeli officials said other agencies and aid groups could take over UNRWA's work. Aid
workers said no other organisation had the staff or the infrastructure.

Trucks carrying aid continued to enter the territory through the Kerem Shalom crossing and
from Egypt, under a ceasefire that began last week.

UNRWA was founded in 1949 and also operates in Jordan, Syria, Lebanon and the occupied West
Bank. The United Nations secretary-general said the agency was irreplaceable.
""",
)

art(
    CONFLICT,
    ["KP"],
    ["KR", "JP", "US", "UA", "RU"],
    "North Korea fires ballistic missile toward Sea of Japan",
    """
SEOUL - North Korea fired a ballistic missile off its east coast on Wednesday, South Korea's
Joint Chiefs of Staff said, the first such launch in two months and days before a planned
visit to the region by a senior American official.

The missile was launched from near Pyongyang at about 7:50 a.m. and flew about 1,000 km before
falling into the sea, the military said in a statement. It said it had stepped up
surveillance and was sharing information with its allies.

The Japanese coast guard said the missile appeared to have landed outside the country's
exclusive economic zone. There were no reports of damage to ships or aircraft.

State media in Pyongyang said on Thursday that leader Kim Jong Un had overseen the test of a
new solid-fuel intermediate-range missile with a hypersonic warhead, which it said was meant
to deter "hostile forces".

"The test proves the reliability of our strategic deterrent," the KCNA news agency quoted Kim
as saying.

The launch was Pyongyang's first since a new government took office in Seoul, and comes as
the isolated state deepens military ties with Moscow, supplying troops and munitions for the
war in Ukraine, according to intelligence officials.

Analysts said the test was likely timed to coincide with joint military drills planned by
Washington and its allies this month.
""",
)

art(
    CONFLICT,
    ["LY"],
    [UN, "TR", "EG", "NATO"],
    "Clashes erupt in Tripoli after killing of militia leader",
    """
TRIPOLI - Heavy fighting broke out in Libya's capital on Monday night after the killing of a
powerful militia leader, forcing residents to shelter in their homes and the closure of the
city's only functioning airport.

Gunfire and explosions were heard across several districts of Tripoli until the early hours,
residents said. The health ministry said at least six people had been killed.

The head of the Stability Support Apparatus, Abdulghani al-Kikli, was killed at a military
camp controlled by a rival group, according to two security sources. Forces loyal to the
Tripoli-based Government of National Unity then moved against his group's positions.

Prime Minister Abdulhamid Dbeibah said the operation had restored the authority of the state,
and praised the army for its "speed and professionalism".

The United Nations mission in the country called for an immediate ceasefire and urged all sides
to protect civilians. Several embassies told their citizens to stay indoors.

Libya has had little stability since the NATO-backed uprising that toppled Muammar Gaddafi in
2011. It has been split since 2014 between rival administrations in the east and west, each
backed by armed groups and foreign powers: Turkey supports the government in Tripoli, while
Egypt backs the eastern commander Khalifa Haftar.
""",
)

art(
    CONFLICT,
    ["BF", "Human Rights Watch"],
    ["African Union", UN],
    "Rights group accuses Burkina Faso army of killing 200 villagers",
    """
DAKAR - Burkina Faso's army killed about 223 villagers, including at least 56 children, in two
villages in the north of the country in February, Human Rights Watch said in a report
published on Thursday, calling it one of the worst abuses by the army in years.

Soldiers rounded up residents of Nondin and Soro, accused them of collaborating with Islamist
militants and opened fire, according to the report, which is based on interviews with 23
witnesses and analysis of videos and satellite images.

"The massacres in Nondin and Soro villages are just the latest mass killings of civilians by
the army in its counterinsurgency operations," said Tirana Hassan, the rights group's
executive director. She called for an investigation by the African Union and the United
Nations.

The military government, which seized power in a coup in 2022, has not responded to the
report. It has previously denied such accusations and suspended several foreign media outlets
for reporting them.

Survivors said soldiers arrived in the villages the morning after an attack by militants on
a military camp nearby. One woman said she hid under the bodies of her relatives until the
soldiers left.

The army is fighting insurgents linked to al Qaeda and the Islamic State who control large
parts of the country's territory. Violence has killed thousands of people and displaced more
than 2 million.
""",
)

# --- sport -------------------------------------------------------------------------------

art(
    SPORT,
    ["JP", "AU"],
    ["FIFA"],
    "Japan beat Australia to close in on World Cup place",
    """
SAITAMA - Japan moved to the brink of qualifying for next year's World Cup with a 2-0 win over
Australia on Thursday, extending their unbeaten run in the Asian qualifiers to eight matches.

Kaoru Mitoma gave the home side the lead in the 34th minute, cutting in from the left and
curling a shot into the far corner, and substitute Ayase Ueda headed in the second from a
corner ten minutes from time.

The Socceroos, who needed at least a draw to keep pace in the race for second place in the
group, rarely threatened. Goalkeeper Zion Suzuki had to make only one save, from a long-range
shot by Jackson Irvine.

"We controlled the game and we were patient," Japan coach Hajime Moriyasu said. "But nothing
is finished yet."

Australia coach Tony Popovic said his team had lacked sharpness after a long journey. "We
have two games left and we are still in a good position to qualify directly," he said.

Japan need one point from their remaining two matches to become the first team apart from the
three hosts to qualify for the expanded 48-team tournament in North America.

FIFA expanded the tournament from 32 teams, giving Asia eight direct places.
""",
)

art(
    SPORT,
    [],
    ["SI", "FR", "DK", "BE"],
    "Pogacar wins mountain stage to extend Tour de France lead",
    """
HAUTACAM - Tadej Pogacar won the 12th stage of the Tour de France on Thursday with a powerful
attack on the final climb, extending his lead in the overall standings to more than three
minutes.

The Slovenian world champion surged clear of his rivals about 11 km from the finish and rode
alone to the summit, crossing the line two minutes and 10 seconds ahead of defending champion
Jonas Vingegaard.

"I felt good today, so I tried," said Pogacar, who has now won four stages in this year's
race. "The team did an incredible job to set up the attack."

Vingegaard, the Dane who beat Pogacar in 2022 and 2023, finished second on the stage and moved
up to second overall, three minutes and 31 seconds behind.

Belgian Remco Evenepoel lost more than two minutes and dropped to third overall, saying he had
suffered in the heat.

The stage, 180.6 km from Auch, was the first of three days in the Pyrenees. Friday's stage is a
short individual time trial uphill to Peyragudes.

Pogacar, 26, is bidding for his fourth title in the race after victories in 2020, 2021 and
2024. The race ends in Paris on July 27.
""",
)

art(
    SPORT,
    [],
    ["GB", "BR"],
    "Arsenal come from behind to beat Chelsea in London derby",
    """
Arsenal came from a goal down to beat Chelsea 2-1 at the Emirates Stadium on Sunday, keeping
up their pursuit of leaders Liverpool at the top of the Premier League.

Cole Palmer put the visitors ahead in the 20th minute with a low shot after a quick
counter-attack, silencing the home crowd.

Arsenal equalised before half-time when Gabriel Martinelli tapped in at the far post after a
cross from Bukayo Saka, and Declan Rice won the match with a header from a corner in the 68th
minute.

"We showed character today," Arsenal manager Mikel Arteta said. "Going behind against a team
like that is never easy, but the crowd pushed us."

Chelsea manager Enzo Maresca complained that his side had been denied a penalty when Nicolas
Jackson went down in the area. "It was clear for everyone except the referee," he said.

Rice, the England midfielder, was named player of the match. Martinelli, the Brazilian forward,
has now scored in three consecutive league games.

Arsenal are six points behind Liverpool with ten games remaining. Chelsea are fifth, one point
outside the places that qualify for the Champions League.
""",
)

art(
    SPORT,
    ["International Olympic Committee", "IN"],
    ["QA", "TR", "ID"],
    "IOC opens talks with India over hosting 2036 Olympics",
    """
LAUSANNE - The International Olympic Committee said on Wednesday it had entered "continuous
dialogue" with India over hosting the 2036 Summer Olympics, a step towards bringing the Games
to the world's most populous country for the first time.

The Indian Olympic Association sent a letter of intent to the IOC last year, and the government
has said the city of Ahmedabad, in Prime Minister Narendra Modi's home state of Gujarat, would
be the host.

"We are at an early stage," an IOC spokesperson said. "There are a number of interested
parties and no decision has been made."

Several other countries have expressed interest in hosting the 2036 Games, including Qatar,
Turkey and Indonesia.

Indian sports officials said the country would need to build several new stadiums and improve
its record on doping, which has been among the worst in the world in recent years. The
Olympic association has also been criticised by the IOC over governance problems.

"India is ready to host the world," the sports minister said in a statement, adding that the
government would provide all necessary financial guarantees.

The IOC changed its process for choosing hosts in 2019, replacing competitive votes with
targeted talks with preferred candidates. A decision on 2036 is not expected before 2027.
""",
)

art(
    SPORT,
    ["IN", "PK"],
    ["AE", "NZ"],
    "India beat Pakistan by six wickets in Champions Trophy",
    """
DUBAI - Virat Kohli scored an unbeaten century as India beat arch-rivals Pakistan by six
wickets in the Champions Trophy on Sunday, all but ending Pakistan's hopes of reaching the
semi-finals of the tournament they are hosting.

Chasing 242 to win, India reached their target with 45 balls to spare, Kohli hitting a four to
bring up his 51st one-day international hundred and win the match at the same time.

Pakistan had been bowled out for 241 in 49.4 overs after choosing to bat. Saud Shakeel top
scored with 62, while left-arm spinner Kuldeep Yadav took three wickets.

"It's always special to do well in this game," Kohli said. "The crowd was amazing."

India are playing all their matches in the United Arab Emirates after their government refused
to send the team to Pakistan because of tensions between the neighbours. The rest of the
tournament is being played in Karachi, Lahore and Rawalpindi.

Pakistan captain Mohammad Rizwan said his team had not scored enough runs. "We lost too many
wickets in the middle overs," he said.

India top the group with two wins. Pakistan, who lost their opening match to New Zealand,
need other results to go their way.
""",
)

art(
    SPORT,
    [],
    ["IT", "AU", "DE", "FR", "World Anti-Doping Agency"],
    "Sinner retains Australian Open title with win over Zverev",
    """
MELBOURNE - Jannik Sinner retained his Australian Open title on Sunday, beating Alexander Zverev
6-3 7-6(4) 6-3 in the final to win his third Grand Slam title.

The world number one, who had dropped only two sets in the tournament, dominated from the
baseline and broke the German's serve early in the first and third sets. Zverev saved three
break points in the second set before losing the tiebreak.

"It's an incredible feeling to be here again," said Sinner, who became the first Italian to win
the title twice. "Alex is a great player and I'm sure he will win a Grand Slam one day."

Zverev, who has now lost three Grand Slam finals, said Sinner had been too good. "You're
simply the best player in the world," he said during the trophy ceremony at Rod Laver Arena.

The 23-year-old Sinner played the tournament under the shadow of an appeal by the World Anti-
Doping Agency against a decision to clear him after he twice tested positive for small amounts
of a banned steroid last year. He has denied wrongdoing.

Sinner has now won his last 21 matches. The second Grand Slam of the season, the French Open,
begins in May.
""",
)

art(
    SPORT,
    ["World Anti-Doping Agency", "CN"],
    ["US", "CH"],
    "WADA defends handling of Chinese swimmers' positive tests",
    """
MONTREAL - The World Anti-Doping Agency on Monday defended its decision not to challenge the
clearance of 23 Chinese swimmers who tested positive for a banned heart medication before the
Tokyo Olympics, saying it had no evidence to dispute the finding of contamination.

WADA's general counsel told reporters that the agency had reviewed the case carefully and
concluded that it could not prove the swimmers had taken the drug deliberately.

China's anti-doping agency had found that the swimmers, who tested positive for trimetazidine
at a domestic competition in early 2021, had been contaminated by traces of the substance in a
hotel kitchen. Several of them went on to win medals in Tokyo.

"We followed every lead," the general counsel said. "There was nothing that allowed us to
challenge that conclusion."

The head of the U.S. Anti-Doping Agency, Travis Tygart, accused WADA of a cover-up and called
for an independent investigation. WADA has appointed a Swiss prosecutor to review its handling
of the case.

Chinese officials said the swimmers had done nothing wrong and that the reports were
"defamatory". The country's swimming team is expected to be among the strongest at this
summer's Olympics.

Athletes' groups said the case had damaged trust in the anti-doping system.
""",
)

art(
    SPORT,
    ["IE", "FR"],
    ["GB", "IT"],
    "Ireland beat France in Paris to keep Six Nations title hopes alive",
    """
PARIS - Ireland beat France 27-22 at the Stade de France on Saturday to stay on course for a
third consecutive Six Nations title, holding off a late French fightback in a tense finish.

Tries from Dan Sheehan, Jamison Gibson-Park and Bundee Aki gave Ireland a 24-8 lead early in
the second half, and fly-half Sam Prendergast added a penalty.

France scored two tries in the final 15 minutes through Louis Bielle-Biarrey and Gael Fickou
to set up a tense finish, but Ireland's defence held in the closing minutes.

"We knew France would come back at us," Ireland captain Caelan Doris said. "The boys dug in."

France coach Fabien Galthie said his side had started too slowly. "We gave them too many
points in the first half, and you cannot do that against this Irish team," he said.

The result leaves Ireland top of the table with one round remaining, two points ahead of
France, who were without injured captain Antoine Dupont.

Ireland face Scotland in Dublin next weekend, while France travel to Rome to play Italy.
""",
)

art(
    SPORT,
    ["MA", "FIFA"],
    ["ES", "PT"],
    "Morocco speeds up stadium building for 2030 World Cup",
    """
RABAT - Morocco is building or renovating six stadiums for the 2030 World Cup, which it will
co-host with Spain and Portugal, and plans to finish most of the work by the end of next year,
the head of the national football federation said on Tuesday.

The largest project is a 115,000-seat stadium near Casablanca, which officials hope will host
the final. If completed as planned it would be the biggest football stadium in the world.

"We want to show that Africa can organise the best World Cup in history," federation president
Fouzi Lekjaa told reporters.

FIFA confirmed the three countries as hosts in December, alongside three South American
countries that will each stage one match to mark the tournament's centenary. FIFA inspectors
visited the Moroccan sites last month.

The government has said it will also spend billions of dollars on high-speed railways, airports
and hotels. The kingdom hosts the Africa Cup of Nations next year, which officials see as a
test run.

Some economists have questioned the cost of the projects at a time of high youth unemployment.
Rights groups have raised concerns about working conditions on building sites.
""",
)

art(
    SPORT,
    [],
    ["CA"],
    "Thunder beat Pacers in Game 7 to win first NBA title",
    """
OKLAHOMA CITY - The Oklahoma City Thunder won their first NBA championship on Sunday, beating
the Indiana Pacers 103-91 in Game 7 of the Finals after Indiana star Tyrese Haliburton went off
injured in the first quarter.

Shai Gilgeous-Alexander scored 29 points and added 12 assists to cap a season in which he was
also named the league's most valuable player. He was voted the most valuable player of the
Finals.

Haliburton, who had been playing with a strained calf, fell to the floor clutching his right
leg seven minutes into the game and was helped off. Indiana led by one point at half-time but
the Thunder pulled away in the third quarter with a 34-20 run.

"To do it in front of these fans, in this building, it's a dream," said Gilgeous-Alexander,
the Canadian guard who was traded to Oklahoma City in 2019.

The Thunder, who had the youngest roster in the league, won 68 games in the regular season.
The franchise moved from Seattle in 2008, and its only previous title came as the SuperSonics
in 1979.

"We were down, but we never stopped believing," Indiana coach Rick Carlisle said. The Pacers
had been seeking their first title since joining the league in 1976.
""",
)

art(
    SPORT,
    ["SA"],
    ["PT", "BR", "FR"],
    "Saudi Pro League clubs spend big again as transfer window opens",
    """
RIYADH - Saudi Arabia's top football clubs spent more than $400 million on players in the first
two weeks of the summer transfer window, league officials said, as the kingdom presses ahead
with its plan to turn the league into one of the world's best.

Al Hilal, Al Nassr, Al Ittihad and Al Ahli, the four clubs owned by the Public Investment Fund,
the country's sovereign wealth fund, accounted for most of the spending.

The league's director of football said the clubs were now focusing on younger players rather
than stars at the end of their careers. "We want players who will grow with the league," he
said in an interview.

The Saudi government has invested heavily in sport, hosting Formula One races, boxing matches
and golf tournaments, and will host the 2034 World Cup. Critics say the spending is meant to
improve the country's image and distract from its human rights record, which officials deny.

Cristiano Ronaldo, the Portuguese forward who joined Al Nassr in 2023, signed a new two-year
contract last month. Other signings this summer include a Brazilian winger from a Premier
League club and a French defender.

Attendances at league matches rose about 20% last season, although many games are still played
in front of half-empty stadiums.
""",
)

art(
    SPORT,
    ["KE"],
    ["DE"],
    "Kenyans sweep Berlin Marathon as doping cloud lingers",
    """
BERLIN - Kenyan runners swept the men's and women's races at the Berlin Marathon on Sunday,
with Benson Kipruto winning the men's race in 2:02:16 and Tigist Ketema's challenge fading as
Hellen Obiri took the women's title.

Kipruto broke away from a group of four after 35 kilometres and finished 40 seconds ahead of
his compatriot Vincent Ngetich. Obiri, the two-time Boston Marathon winner, won the women's race
in 2:16:05.

"The weather was perfect and I felt strong at the end," Kipruto said.

The wins come as athletics in Kenya faces intense scrutiny over doping. More than 100 Kenyan
athletes are currently suspended, according to the Athletics Integrity Unit, most of them road
runners competing in smaller races.

Kenya's government has pledged $5 million a year for five years to fight doping, and its
athletics federation has warned that the country could be banned from international
competition if the number of cases does not fall.

"We are clean and we want the world to know it," Obiri said.

Berlin's flat course has produced many world records. About 45,000 runners took part this
year, a record for the race, organisers said, including a record number of German amateurs.
""",
)

art(
    SPORT,
    ["AR"],
    ["BR", "UY", "US"],
    "Messi left out of Argentina squad for World Cup qualifiers",
    """
BUENOS AIRES - Lionel Messi was left out of Argentina's squad for this month's World Cup
qualifiers against Uruguay and Brazil because of a muscle injury, the country's football
association said on Tuesday.

The 37-year-old captain suffered the injury while playing for Inter Miami in the United States
at the weekend, and coach Lionel Scaloni decided not to risk him, the association said in a
statement.

It is the first time Messi has been left out of a squad for a competitive match since 2019.

Scaloni called up 28 players, including forward Julian Alvarez and midfielder Enzo Fernandez.
Teenage winger Franco Mastantuono, who recently signed for Real Madrid, was included for the
first time.

"We would always prefer to have Leo with us, but his health comes first," Scaloni told
reporters at the team's training centre near the capital.

The world champions lead the South American qualifying group by six points and need only a draw
to qualify for next year's finals. The top six teams qualify directly.

Argentina play in Montevideo on March 21 and host their neighbours at the Monumental stadium in
Buenos Aires four days later. Fans have been buying tickets for the second match since last
week, and the stadium is sold out.
""",
)

art(
    SPORT,
    ["IN"],
    ["CN", "SG"],
    "Teenager Gukesh becomes youngest world chess champion",
    """
SINGAPORE - Gukesh Dommaraju became the youngest undisputed world chess champion on Thursday,
beating defending champion Ding Liren in the 14th and final classical game of their match when
the Chinese player blundered in a drawn endgame.

The 18-year-old from the southern city of Chennai won the match 7.5-6.5, taking the title held
by Garry Kasparov and Magnus Carlsen before him and breaking Kasparov's record as the youngest
champion.

Gukesh put his head in his hands and wept at the board after Ding resigned. "I have been
dreaming about this moment for ten years," he said.

Prime Minister Narendra Modi called the victory historic. "His success will inspire millions of
young minds," he wrote on social media. Celebrations broke out at his school in Tamil Nadu.

Gukesh is the second Indian to win the world title after Viswanathan Anand, whose academy
helped train him. India has become a chess powerhouse in recent years, with a growing number of
grandmasters, and its teams won both the open and women's events at the Chess Olympiad in
September.

Ding, who had struggled with his form and mental health since winning the title last year,
said he had no regrets. "I played my best tournament of the year," he said.
""",
)

art(
    SPORT,
    ["FIFA", "US"],
    ["BR", "DE", "JP", "MA", "MX", "CA"],
    "FIFA cuts Club World Cup ticket prices as US crowds disappoint",
    """
MIAMI - FIFA has sharply cut ticket prices for several Club World Cup matches in the United
States after thousands of seats were left empty at games in the first week of the expanded
tournament.

Tickets for a group match in Orlando that had cost more than $200 were offered for about $30
on Monday, according to the ticketing website. Attendance at some games has been below 20,000
in stadiums built for more than 60,000.

FIFA said overall attendance had been strong, with more than 1.5 million tickets sold. "Fans
are turning out to support their teams," a spokesperson said.

The 32-team tournament, staged for the first time in its new format, is seen as a test for
next year's World Cup, which the country will co-host with Canada and Mexico. Heat has also
been a problem, with several matches played in temperatures above 30 Celsius at midday to suit
European television audiences.

Teams from Brazil, Germany, Japan and Morocco are among those taking part.

Some fans from abroad said they had stayed away because of stricter immigration checks at U.S.
airports. Officials from the White House task force for the World Cup said visitors were
welcome.

FIFA President Gianni Infantino has said the tournament will become "the pinnacle of club
football".
""",
)

art(
    SPORT,
    ["SA"],
    ["GB", "MX", "US"],
    "Riyadh card tops boxing's richest night as Saudi spending grows",
    """
RIYADH - A card of five world title fights in Riyadh on Saturday generated the largest purse in
boxing history, organisers said, as Saudi Arabia extends its influence over the sport.

The event, funded by the kingdom's General Entertainment Authority as part of the Riyadh Season
festival, drew a crowd of about 22,000 to a purpose-built arena. Fighters shared more than $200
million, according to promoters.

In the main event, Mexican champion Saul "Canelo" Alvarez defended his super middleweight
titles on points against a British challenger. "It was a hard fight, but I'm still the king,"
Alvarez said.

Turki Alalshikh, the head of the authority and an adviser to the royal court, has signed deals
with several leading promoters and bought a stake in a boxing magazine. He has promised to stage
more fights in the kingdom and abroad, including in Las Vegas next year.

"Saudi Arabia has become the centre of boxing," he told reporters.

Critics say the kingdom is using sport to improve its image and distract from its human rights
record. Saudi officials say the investment is part of a plan to diversify the economy and
create jobs for young people.

Promoters in the United States and Britain have said the money on offer is hard to refuse.
""",
)

art(
    SPORT,
    ["NZ"],
    ["ZA", "GB", "FR", "JP"],
    "All Blacks name new captain ahead of Rugby Championship",
    """
AUCKLAND - New Zealand named lock Scott Barrett as captain of the All Blacks on Monday, ahead of a
Rugby Championship campaign that new coach Scott Robertson described as the start of a new era
for the team.

Barrett, 30, succeeds flanker Sam Cane, who retired from international rugby after last year's
World Cup final, which New Zealand lost 12-11 to South Africa in Paris.

"It's a huge honour and I don't take it lightly," Barrett said at a news conference. "This jersey
means a lot to a lot of people."

Robertson, who took over from Ian Foster this year after winning seven titles with the Crusaders,
named a 36-man squad including six uncapped players. Several senior players have left to play in
Japan or France, making them ineligible under national rules.

The All Blacks have won the Rugby Championship or its predecessor, the Tri-Nations, 20 times, but
rivals believe the team is vulnerable after the loss of experienced players.

New Zealand first play two tests against England in July before the tournament begins in August.
The national union said ticket sales had been strong, despite concerns about falling interest in
the sport among young people.
""",
)

art(
    SPORT,
    ["International Olympic Committee", "IT"],
    ["RU"],
    "IOC confirms Milan-Cortina venues will be ready for Winter Games",
    """
The International Olympic Committee said on Friday it was satisfied that all venues for next
year's Winter Olympics in Milan and Cortina d'Ampezzo would be ready in time, after months of
concern over the cost and delays of a new bobsleigh track.

The IOC's coordination commission, on its final visit before the Games, said construction of the
sliding centre in Cortina was on schedule and that test events would take place in March.

"We leave Italy with great confidence," the commission's chair told a news conference. "These
will be Games that showcase sustainability and existing venues."

The organisers chose to build the new track despite the IOC's advice to use an existing venue
abroad to save money. Environmental groups had protested against the felling of trees to make
room for it.

The Games, which will be spread across a large area of northern Italy, will use mostly existing
or temporary venues, with events in Milan, Cortina, Bormio, Livigno and the Val di Fiemme.

The IOC also said it would decide before the end of the year whether athletes from Russia would
be allowed to compete as neutrals, as they did at the Paris Summer Games, where they had to pass
checks on their links to the military.
""",
)

# --- tech --------------------------------------------------------------------------------

art(
    TECH,
    [EU, EC],
    ["US"],
    "EU's first AI Act rules take effect, banning some uses of the technology",
    """
BRUSSELS - The first provisions of the European Union's artificial intelligence law took effect
on Sunday, banning uses of the technology that the bloc considers an unacceptable risk, such as
social scoring and most real-time facial recognition in public places.

Companies that break the rules face fines of up to 35 million euros or 7% of their global annual
turnover, whichever is higher. Enforcement of the bans will start in August, when national
authorities must be in place.

The European Commission published guidelines explaining which practices are covered, including
systems that manipulate people's behaviour or infer their emotions at work or in schools.

"We want AI to be trusted by Europeans," the Commission's executive vice-president for tech
sovereignty, Henna Virkkunen, said in a statement.

Further obligations for general-purpose AI models, such as those behind popular chatbots, apply
from August, and most rules for high-risk systems from 2026.

Technology companies and some governments have called for the rules to be delayed, saying they
are too complex and could hold back innovation. American technology executives and officials
have criticised the law as a barrier to trade.

Consumer groups said the bans did not go far enough and contained too many exceptions for police
and border authorities.
""",
)

art(
    TECH,
    ["TW", "US"],
    ["JP", "DE"],
    "TSMC begins mass production at first Arizona chip plant",
    """
PHOENIX - Taiwan Semiconductor Manufacturing Co has begun mass production of advanced chips at its
first factory in Arizona, the company said on Tuesday, a milestone for efforts to bring
semiconductor manufacturing back to the United States.

The plant, part of a $65 billion investment in the state, is producing chips using four-nanometre
technology for customers including Apple and Nvidia. Yields at the factory are similar to those at
its plants in Taiwan, the company said.

"This is a proud moment for our customers and our employees," the company said in a statement.

The project received $6.6 billion in grants under the CHIPS Act, passed by Congress in 2022 to
reduce American dependence on chips made in Asia. It was delayed by a shortage of skilled workers
and disputes with construction unions.

Officials in Taipei have said the company's most advanced technology will remain on the island,
which produces more than 90% of the world's most advanced chips. Some politicians there worry that
the investments abroad weaken the island's security by making it less indispensable.

The world's largest contract chipmaker is also building plants in Kumamoto, Japan, and in Dresden,
Germany, and plans two more factories in Arizona by the end of the decade.
""",
)

art(
    TECH,
    ["KR"],
    ["US", "CN"],
    "Samsung profit beats forecasts on AI memory chip demand",
    """
SEOUL - South Korea's Samsung Electronics reported a better-than-expected quarterly operating profit
on Thursday, as demand for memory chips used in artificial intelligence servers lifted prices.

Operating profit for the July-September quarter rose to 12.2 trillion won ($8.8 billion), from 2.4
trillion won a year earlier, above the average analyst estimate of 10.3 trillion won.

The company's chip division earned 7 trillion won, helped by sales of high-bandwidth memory chips.
It said it had started supplying a new version of the chips to a major customer, which analysts
took to mean Nvidia, the U.S. company that dominates the market for AI processors.

"Demand from AI and data centres remains strong and we expect it to continue next year," a
company executive told analysts on a conference call.

Samsung has lagged behind its smaller domestic rival SK Hynix in supplying high-bandwidth memory,
and its shares have underperformed this year. Its contract manufacturing business continued to
lose money.

Sales of smartphones fell from the previous quarter. Competition from Chinese brands has
intensified in emerging markets, the company said.

Shares of the company, the largest on the Seoul stock exchange, rose 3% in morning trade.
""",
)

art(
    TECH,
    ["CN", "HU"],
    [EU, "TR", "World Trade Organization"],
    "BYD opens first European car plant in Hungary",
    """
SZEGED, Hungary - Chinese electric carmaker BYD opened its first European factory in southern
Hungary on Friday, part of an expansion that will let it avoid European Union tariffs on cars
imported from China.

The plant in Szeged will initially build about 150,000 vehicles a year, rising to 300,000, and
employ several thousand people, the company said. Production of its small Dolphin model will begin
this month.

"Hungary is our gateway to Europe," BYD's executive vice-president said at the opening ceremony,
attended by Prime Minister Viktor Orban and Chinese officials.

Orban, who has sought closer ties with Beijing than most EU leaders, said the factory showed his
country's policy of "economic neutrality" was paying off. The government has given the project
tax breaks and built new roads and a rail link.

The EU imposed extra duties of up to 35% on electric cars made in China last year, saying they
benefited from unfair subsidies. Beijing has challenged the tariffs at the World Trade
Organization.

BYD overtook Tesla as the world's largest seller of electric vehicles last year. It is also
building a plant in Turkey. Analysts said European rivals would struggle to match the prices of
its cars.
""",
)

art(
    TECH,
    ["IN"],
    ["SG", "AE", "FR"],
    "India's UPI payments network tops 18 billion transactions a month",
    """
MUMBAI - India's Unified Payments Interface handled more than 18 billion transactions in May, a
record, as the digital payments system built by the government and banks continues to replace
cash in Asia's third-largest economy.

The value of payments made through UPI rose 23% from a year earlier to 25 trillion rupees ($292
billion), the National Payments Corporation of India said on Sunday.

The system lets users send money instantly by scanning a code on their phone, and is used by
street vendors, small shops and large retailers alike. More than 400 million people use it every
month, according to the corporation.

"It has changed the way the country pays," said a payments analyst in Mumbai.

Two apps, owned by Walmart-backed PhonePe and Alphabet's Google Pay, handle more than 80% of
transactions. The central bank has been considering limits on market share to reduce
concentration.

The government has been promoting UPI abroad, and it can now be used in several countries,
including Singapore, the United Arab Emirates and France, where it is accepted at the Eiffel
Tower.

Banks and payment companies complain that they earn no fees on most UPI payments, which are free
for users under government rules.
""",
)

art(
    TECH,
    ["ZA"],
    ["US"],
    "South Africa proposes rule change that could let Starlink in",
    """
JOHANNESBURG - South Africa's communications regulator has proposed new rules that would allow
foreign satellite internet providers such as Elon Musk's Starlink to operate in the country
without selling 30% of their local units to black-owned groups.

Under the draft, companies could instead invest in programmes that benefit historically
disadvantaged groups, such as skills training or infrastructure, the regulator said in a notice
published on Friday. The public has 30 days to comment.

Starlink has not applied for a licence, saying the ownership requirement, part of policies meant
to redress the economic exclusion of black people under apartheid, was an obstacle.

"This is about making sure that rural communities are connected," the communications minister said.

Musk, who was born in Pretoria, has accused the government of discrimination and said Starlink was
not allowed to operate because he was not black. Officials said the rules applied to all
companies equally.

Critics in the governing coalition said the proposal would weaken black economic empowerment
policies. Other providers said they would lose out if Starlink entered the market.

The issue has become caught up in tense relations between Pretoria and the administration in
Washington, which has cut aid and criticised land reform policies.
""",
)

art(
    TECH,
    ["JP"],
    ["US", "TW"],
    "Japan's Rapidus produces first prototype 2-nanometre chips",
    """
TOKYO - Rapidus, the state-backed Japanese chipmaker, said on Friday it had produced its first
prototype chips using 2-nanometre technology at its new plant in Hokkaido, a step in the
country's effort to return to the forefront of semiconductor manufacturing.

The company plans to begin mass production in 2027, supplying chips for artificial intelligence
and data centres. It has developed the technology in partnership with U.S.-based IBM.

"We have shown that we can do it," Rapidus president Atsuyoshi Koike told a news conference.
"Now we must show that we can do it at scale and at a competitive cost."

The government has committed about 1.7 trillion yen to the project and passed a law last year
allowing further support, including loan guarantees. Private investors include Toyota, Sony and
NTT.

Analysts said the company faced a difficult task in winning customers from Taiwan's TSMC, the
dominant contract chipmaker, which plans to mass produce 2-nanometre chips this year.

Japan was the world leader in semiconductors in the 1980s but lost ground to competitors in the
following decades. Officials now see chips as vital to economic security.
""",
)

art(
    TECH,
    ["NG"],
    ["GH", "KE", "GB"],
    "Nigerian fintech cuts jobs as funding dries up",
    """
LAGOS - Nigerian payments startup Paystream said on Wednesday it would cut about 15% of its staff
and close its offices in Ghana and Kenya, the latest African technology company to shrink as
venture capital funding falls.

The company, which processes payments for small businesses, said it would focus on its home market,
where it has about 200,000 customers. It did not say how many jobs would be lost, but two people
familiar with the matter said about 80 people would leave.

"We have to grow in a sustainable way," the chief executive wrote in a memo to staff.

Funding for startups in Africa fell by about a third last year, according to data from investment
trackers, as investors became more cautious after years of rapid growth. Several fintech companies
have laid off staff or closed.

Nigerian startups have also been hit by the sharp fall in the value of the naira, which has made
it harder to pay for software and services priced in dollars and reduced the value of their
revenues for foreign investors.

Paystream raised $40 million in 2022 from investors including a London-based fund. It had planned
to expand to Britain this year but has shelved those plans.
""",
)

art(
    TECH,
    ["GB"],
    ["US"],
    "Ofcom opens first investigations under Online Safety Act",
    """
LONDON - Britain's media regulator Ofcom opened its first formal investigations under the Online
Safety Act on Thursday, targeting a file-sharing service and several websites it suspects of
failing to protect users from illegal content.

The regulator said it was examining whether the services had carried out proper assessments of
the risk that they could be used to share child sexual abuse material, as the law now requires.

Companies found to be in breach face fines of up to 18 million pounds or 10% of their global
revenue, and in the most serious cases their sites could be blocked in the country.

"Platforms must now act to protect people from illegal content, and we will not hesitate to take
action where they fail," an Ofcom director said.

The law, passed in 2023, is being phased in over several years. From July, sites that host
pornography must use effective age checks to stop children from seeing it.

Some free speech campaigners and technology companies, many of them American, say the law gives
the regulator too much power and could lead to the removal of lawful content. Several smaller
forums have closed, citing the cost of compliance.

Government ministers said the rules would make the internet safer for children.
""",
)

art(
    TECH,
    ["DK", "RU"],
    ["NATO", "UA"],
    "Denmark blames Russia-linked hackers for attack on water utility",
    """
COPENHAGEN - Denmark's intelligence service said on Friday that a pro-Russian hacker group was
behind a cyberattack on a regional water utility last year that briefly disrupted supplies, and
warned that critical infrastructure faced a growing threat.

The Danish Defence Intelligence Service said the group had gained access to the utility's control
systems and caused pipes to burst, leaving about 500 homes without water for several hours. It did
not name the utility.

"This shows that the threat is not theoretical. They can and will attack," the head of the
service's cyber security centre said at a news conference.

The intelligence service said the attack was part of a wider campaign by groups linked to Moscow
aimed at creating insecurity in countries that support Ukraine. It said it could not rule out that
Russian state agencies had directed the attack.

The Russian embassy did not respond to a request for comment. Moscow has previously denied
involvement in cyberattacks on Western countries.

Several European governments have reported sabotage and cyberattacks on infrastructure since
Russia's full-scale invasion of Ukraine in 2022. NATO has said it would treat serious cyberattacks
as a possible trigger for collective defence.
""",
)

art(
    TECH,
    ["FI", "EE", "CN"],
    ["NATO", "SE", "RU", "CK"],
    "Finland seizes ship suspected of damaging Baltic undersea cable",
    """
HELSINKI - Finnish authorities seized a ship on Thursday that they suspect damaged an undersea power
cable and several telecoms cables linking Finland and Estonia by dragging its anchor along the
seabed.

The vessel, which was sailing under the flag of the Cook Islands, is believed to be part of a
"shadow fleet" of ageing tankers used to carry Russian oil in breach of Western sanctions, Finnish
customs said.

The Estlink 2 power cable, which carries electricity between the two countries, went out of
service on Wednesday, along with four data cables. Estonian officials said the country had enough
power capacity to cover the loss.

Investigators are also examining whether a Chinese-owned container ship that passed through the
area could have been involved. The Chinese foreign ministry said it was not aware of the incident
and that Beijing "has always fulfilled its obligations".

"We cannot rule out that this was deliberate," Finland's president Alexander Stubb said.

NATO said it would increase its presence in the Baltic Sea in response. Sweden has also
investigated several cases of damaged cables in recent months.

It was the third incident of its kind in the region in just over a year.
""",
)

art(
    TECH,
    [EC, EU],
    ["US"],
    "EU fines Apple and Meta under digital competition law",
    """
BRUSSELS - The European Commission fined Apple 500 million euros and Meta 200 million euros on
Wednesday for breaching the European Union's digital competition rules, the first penalties under
the Digital Markets Act.

The Commission said Apple had prevented app developers from telling users about cheaper offers
outside its App Store, while Meta had forced Facebook and Instagram users to choose between paying
a subscription and consenting to the use of their personal data for advertising.

"We have taken firm but balanced enforcement action against both companies, based on clear and
predictable rules," EU competition chief Teresa Ribera said.

Both companies said they would appeal. Apple said the decision was "yet another example" of the
bloc unfairly targeting the company, while Meta said it was being asked to offer an inferior
service.

The fines are smaller than some experts had expected, reflecting what officials described as the
short period during which the breaches took place.

The decisions come as the administration of President Donald Trump has threatened to impose
tariffs on countries that penalise U.S. technology companies. Commission officials said the cases
had nothing to do with the companies' nationality.
""",
)

art(
    TECH,
    ["ID"],
    [],
    "Indonesia keeps iPhone 16 ban until Apple meets investment rules",
    """
JAKARTA - Indonesia will keep a ban on sales of Apple's iPhone 16 until the company meets rules
requiring a share of local content in phones sold in the country, the industry minister said on
Tuesday, rejecting a new investment offer.

Apple had offered to invest about $100 million in a factory making accessories and components on
the island of Batam, but minister Agus Gumiwang Kartasasmita said the proposal did not meet the
principle of fairness.

"Apple's investment must be in line with what it earns here," he told reporters.

Phones sold in Southeast Asia's largest economy must contain at least 40% locally made components.
Apple, which does not have a factory there, has met the requirement in the past by funding
developer academies, but the government says it failed to fulfil earlier investment pledges.

Officials have also told visitors not to bring iPhone 16 devices into the country for resale, and
said phones bought abroad could be deactivated.

Analysts said the dispute showed the government's determination to use the size of its market,
with more than 270 million people, to attract manufacturing investment.

Apple did not respond to a request for comment. The company sells about 2 million phones a year in
the archipelago.
""",
)

art(
    TECH,
    ["BR"],
    ["US"],
    "Brazil's Supreme Court orders suspension of X",
    """
BRASILIA - A justice of Brazil's Supreme Court ordered the suspension of the social media platform X
on Friday, after its owner Elon Musk refused to appoint a legal representative in the country as
required by law.

Justice Alexandre de Moraes gave telecoms companies and app stores five days to block access to the
service, and said anyone using a virtual private network to reach it could be fined up to 50,000
reais a day.

The order is the latest step in a long dispute between Moraes and Musk over the justice's demands
that X block accounts accused of spreading false information and attacking democratic
institutions, many of them linked to supporters of former President Jair Bolsonaro.

Musk called Moraes a "dictator" and said the platform was being punished for refusing to censor
users. "Free speech is the foundation of democracy," he wrote.

X had closed its office in the country this month, saying Moraes had threatened its legal
representative with arrest.

Brazil is one of the largest markets for X, with about 20 million users. Many said they would move
to
rival platforms. Justice Moraes also froze the local accounts of satellite internet company
Starlink, also controlled by the U.S. billionaire, to ensure payment of fines.
""",
)

art(
    TECH,
    ["KE"],
    ["ET", "ZA"],
    "Safaricom expands 5G network as mobile money growth slows",
    """
NAIROBI - Safaricom, Kenya's largest telecoms company, said on Thursday it would double the number
of
5G sites in its home market this year, as it seeks new sources of growth while revenue from its
M-Pesa mobile money service slows.

The company reported a 12% rise in full-year net income to 69.8 billion shillings ($540 million),
helped by data sales and M-Pesa, which accounts for about 40% of its revenue.

"Data is the next big growth engine," chief executive Peter Ndegwa told an investor briefing.

Safaricom, which is partly owned by South Africa's Vodacom and the government, said M-Pesa revenue
grew 8%, compared with 15% a year earlier, as new taxes on mobile transactions and a weak economy
weighed on spending.

The company's business in neighbouring Ethiopia, which it entered in 2022, is still losing money,
but it said losses had narrowed and the number of customers had risen to more than 8 million.

Shares in the company, the largest on the Nairobi Securities Exchange, rose 2%. Analysts said
investors had been worried about the cost of the Ethiopian expansion.
""",
)

art(
    TECH,
    ["KR"],
    [EU, "JP", "US", "CN"],
    "South Korea passes AI law with rules for high-impact systems",
    """
SEOUL - South Korea's National Assembly passed a law on Thursday setting rules for artificial
intelligence, including requirements for companies to label content made by generative AI and to
assess the risks of systems used in areas such as health care and hiring.

The AI Basic Act, which takes effect in January 2026, makes the country one of the first to adopt a
comprehensive law on the technology. The science ministry will draw up detailed regulations.

Companies that develop or use "high-impact" AI must explain how their systems reach decisions and
allow human oversight. Foreign AI companies above a certain size must appoint a local
representative.

"This law creates the foundation for the country to become one of the top three AI powers,"
the science minister said after the vote.

The law also provides for government support for AI data centres and for training, as Seoul seeks
to help domestic companies such as Naver and LG compete with larger American and Chinese rivals.

Industry groups welcomed the support measures but said the rules on high-impact systems were vague.
Fines for breaching the rules are capped at 30 million won, much lower than in the European Union's
AI Act, on which parts of the law were modelled. Japan has opted for a lighter approach based on
voluntary guidelines.
""",
)

# --- health ------------------------------------------------------------------------------

art(
    HEALTH,
    [WHO, "CD"],
    ["BI", "KE", "RW", "UG", "SE"],
    "WHO declares mpox outbreak a global health emergency",
    """
GENEVA - The World Health Organization declared the mpox outbreak in Africa a public health
emergency of international concern on Wednesday, its highest level of alarm, after a new variant
of the virus spread from the Democratic Republic of Congo to neighbouring countries.

The WHO's emergency committee met after more than 17,000 suspected cases and 500 deaths were
reported in Congo this year, most of them children. The new strain, known as clade Ib, appears
to spread more easily through close contact, including sex.

"The detection and rapid spread of a new clade of mpox in eastern DRC, its detection in
neighbouring countries that had not previously reported mpox, and the potential for further
spread within Africa and beyond is very worrying," WHO Director-General Tedros Adhanom
Ghebreyesus said.

Cases of the new strain have been confirmed in Burundi, Kenya, Rwanda and Uganda.

Health officials in Congo said vaccines were urgently needed. The country has received no doses
so far, and poor roads and fighting in the east make it hard to reach patients.

The WHO said it had released $1.45 million from its emergency fund and would need $15 million to
support surveillance and vaccination. The agency declared a similar emergency in 2022, which
ended last year.

On Thursday, health authorities in Sweden reported the first case of the new strain outside
Africa, in a traveller.
""",
)

art(
    HEALTH,
    ["RW"],
    [WHO, "US"],
    "Rwanda begins Marburg vaccine trial as outbreak slows",
    """
KIGALI - Rwanda has started vaccinating health workers against Marburg virus as part of a trial of
an experimental vaccine, the health minister said on Sunday, as the country reported no new cases
for a third day.

About 700 doses were delivered from the Sabin Vaccine Institute, a nonprofit that developed the
vaccine, and the first were given to doctors and nurses in hospitals that treated patients.

"We are determined to end this outbreak as quickly as possible," minister Sabin Nsanzimana told
reporters.

The outbreak, the first in the country, has infected 58 people and killed 13 since it was
declared at the end of September. Most of those infected were health workers at two hospitals in
the capital.

The Marburg virus, a relative of Ebola, causes severe bleeding and can kill up to 88% of people
infected. There is no approved vaccine or treatment.

The World Health Organization praised the government's response, saying it had traced contacts
quickly and isolated patients. The death rate was far lower than in previous outbreaks elsewhere,
which experts attributed to early treatment.

Health authorities in the United States have begun screening travellers arriving from the
country at three airports.
""",
)

art(
    HEALTH,
    ["GB"],
    [],
    "NHS waiting list falls for fifth month in a row",
    """
LONDON - The number of people waiting for planned hospital treatment in England fell for the fifth
month in a row in February, official figures showed on Thursday, though the health service is
still far from meeting its targets.

The waiting list fell to 7.42 million from 7.48 million in January, NHS England said. About 58%
of patients were seen within 18 weeks of being referred, against a target of 92% that has not been
met since 2015.

Health Secretary Wes Streeting said the figures showed the government's plan was working. "We are
cutting waiting lists, but there is a long way to go," he said.

The government has promised to meet the 18-week target by the end of this parliament, using extra
funding, more evening and weekend clinics and private hospitals.

Accident and emergency departments remained under pressure, with more than 60,000 patients
waiting more than 12 hours to be admitted after a decision to admit them.

The Royal College of Nursing said staff were exhausted and that corridors were still being used to
treat patients.

Last month the government announced it would abolish NHS England, the body that runs the health
service, and move its functions into the health department to cut bureaucracy.
""",
)

art(
    HEALTH,
    ["ZM"],
    ["UNICEF", "MW", "ZW", UN],
    "Zambia turns stadium into cholera treatment centre",
    """
LUSAKA - Zambia has turned a national football stadium in Lusaka into a cholera treatment centre
as an outbreak that has killed more than 400 people overwhelms hospitals, the health ministry said
on Monday.

The country has recorded more than 10,000 cases since October, the worst outbreak in years, with
most in the capital. The government has delayed the reopening of schools and banned public
gatherings in affected areas.

"We are fighting this disease on all fronts," President Hakainde Hichilema said as he visited the
centre, where tents have been set up on the pitch.

Soldiers and volunteers have been delivering clean water to poor neighbourhoods, where many
families rely on shallow wells that are easily contaminated during the rainy season.

The children's agency UNICEF said it was sending water purification supplies and oral
rehydration salts. Health experts say poor sanitation and a lack of investment in water systems
are behind recurring outbreaks in the region.

Cholera has also spread in neighbouring Malawi and Zimbabwe in recent months, and health officials
warned that the heavy rains forecast for February could make the situation worse.

A vaccination campaign targeting 1.7 million people began last week.
""",
)

art(
    HEALTH,
    ["BR"],
    ["AR", "PY", "JP"],
    "Brazil records highest number of dengue deaths on record",
    """
SAO PAULO - Brazil has recorded more than 4,000 deaths from dengue this year, the highest number
since records began, the health ministry said on Wednesday, as an unusually hot and rainy season
helped the mosquitoes that carry the disease to spread.

The ministry said more than 5 million probable cases had been reported since January, compared
with 1.6 million in the whole of last year. Several states, including Sao Paulo and Minas Gerais,
declared emergencies.

"This is an atypical year, driven by climate conditions," Health Minister Nisia Trindade said.

The government began vaccinating children aged 10 to 14 in February with a vaccine made by
Japanese drugmaker Takeda, but supplies are limited. A locally developed vaccine by the Butantan
Institute is expected to be approved next year.

Health workers have been going door to door to remove standing water where mosquitoes breed, and
the army has set up field hospitals in the worst-hit areas of the capital, Brasilia.

Experts say warmer temperatures linked to climate change and the El Nino weather pattern have
extended the range of the Aedes aegypti mosquito.

Argentina and Paraguay have also reported record outbreaks this year.
""",
)

art(
    HEALTH,
    ["US"],
    ["DK"],
    "FDA approves Lilly's weight-loss pill in boost to obesity treatment",
    """
WASHINGTON - The U.S. Food and Drug Administration on Tuesday approved Eli Lilly's daily pill for
chronic weight management, the first oral drug of its kind, which the company says will make
obesity treatment easier to scale up.

In clinical trials, patients taking the highest dose of the pill, orforglipron, lost about 12% of
their body weight over 72 weeks, somewhat less than with the injectable drugs already on the
market.

"This is an important step for patients who do not want injections or cannot get them," the
agency's director of the office of cardiology and nephrology said.

Lilly said it would start shipping the pill within weeks and would sell it at a lower price than
its injectable drug Zepbound for patients paying out of pocket. The company has built up supplies
in advance.

More than 40% of American adults are obese, according to government data, and demand for the new
drugs has been so high that they were in short supply for much of the past two years.

Insurance coverage remains limited, and the Medicare programme for older people does not cover
drugs for weight loss alone.

Shares of Lilly rose 3%, while shares in rival Novo Nordisk, the Danish maker of Wegovy, fell 4%.
""",
)

art(
    HEALTH,
    ["IN"],
    ["PK"],
    "Heatwave deaths rise in northern India as temperatures top 50C",
    """
NEW DELHI - At least 110 people have died of suspected heatstroke in northern and eastern India
since March, the health ministry said on Thursday, as a prolonged heatwave pushed temperatures
above 50 degrees Celsius in parts of the country.

Hospitals in the states of Uttar Pradesh, Bihar and Odisha reported a surge in patients with heat
exhaustion, and several election officials died while working at polling stations in the final
phase of the general election.

"The wards are full, we are putting beds in the corridors," a doctor at a hospital in Varanasi
said.

The capital recorded its hottest night in decades, with the temperature not falling below 35
degrees. Water shortages in some neighbourhoods led to queues at tankers.

The weather office said the heat would ease in some areas with the arrival of the monsoon, which is
expected to reach the northern plains by the end of June.

Scientists say climate change is making heatwaves more frequent and intense across South Asia. The
national disaster authority has urged states to set up cooling centres and change working hours
for outdoor labourers.

Temperatures also reached record levels across the border in Pakistan, where hospitals in Sindh
province reported dozens of deaths.
""",
)

art(
    HEALTH,
    ["PS", WHO, "UNICEF", UN],
    ["IL"],
    "Polio vaccination campaign begins in Gaza during pauses in fighting",
    """
DEIR AL-BALAH - Health workers began vaccinating children in the Gaza Strip against polio on Sunday,
during pauses in fighting agreed to allow the campaign to go ahead, after the territory's first
polio case in 25 years.

The World Health Organization and UNICEF aim to vaccinate about 640,000 children under the age of
10 in three phases, starting in central Gaza. Each phase will be accompanied by daily pauses of
eight hours in a limited area.

"This is a race against time," said the WHO's representative for the Palestinian territories,
adding that at least 90% of children needed to be vaccinated to stop the virus spreading.

Hundreds of parents queued outside clinics and schools with their children on the first day. Many
said they had walked for hours.

The case of paralysis in a 10-month-old baby was confirmed last month, after the virus was found in
wastewater samples. Aid agencies say the collapse of water and sanitation systems during the war
has allowed diseases to spread.

UNICEF said 1.26 million doses had been delivered. A second dose is needed four weeks later.

The Israeli military said it had coordinated the pauses with the health agencies.
""",
)

art(
    HEALTH,
    ["JP"],
    ["KR"],
    "Japan's births fall to record low for ninth straight year",
    """
TOKYO - The number of babies born in Japan fell to a record low of 686,000 last year, the ninth
consecutive annual decline, health ministry data showed on Wednesday, underscoring the failure of
government efforts to reverse the country's shrinking population.

Births fell 5.7% from a year earlier, the first time they have dropped below 700,000 since records
began in 1899. The fertility rate, the average number of children a woman has in her lifetime, fell
to 1.15, also a record low.

Deaths reached 1.6 million, meaning the population fell by about 920,000, the largest decline on
record.

Prime Minister Shigeru Ishiba has called the falling birth rate a "quiet emergency". The government
has expanded child allowances, made nursery school free and encouraged companies to offer
flexible working hours, but experts say rising living costs, long working hours and a decline in
marriages are discouraging young people from having children.

"Support for families alone cannot solve the problem," said a demographer at a Tokyo university.

The falling population has caused labour shortages in sectors such as construction, care and
logistics, and prompted the government to accept more foreign workers.

Among developed countries, only South Korea has a lower fertility rate.
""",
)

art(
    HEALTH,
    ["US"],
    ["MX", "CA"],
    "Texas measles outbreak grows, second child dies",
    """
LUBBOCK, Texas - A second child has died of measles in West Texas, health officials said on
Sunday, as the largest outbreak in the United States in decades spread to more than 480 cases.

The child, who was 8 years old and had not been vaccinated, died of measles pulmonary failure at a
hospital in Lubbock, the hospital said in a statement. An unvaccinated adult died in neighbouring
New Mexico last month.

The outbreak began in January in a Mennonite community in Gaines County, where vaccination rates are
low. Most of those infected are children who had not been vaccinated.

"Measles is highly contagious and the best protection is the vaccine," the state health department
said.

Health Secretary Robert F. Kennedy Jr., a long-time vaccine sceptic, visited the family of the
child and said in a social media post that the vaccine was effective, while also promoting
treatments such as vitamin A.

Public health experts criticised the federal response and cuts to funding for state health
departments.

Measles was declared eliminated in the country in 2000, but vaccination rates have fallen. Cases
linked to the outbreak have also been reported in Chihuahua state in Mexico and in Canada.
""",
)

art(
    HEALTH,
    ["CM"],
    [WHO, "GB"],
    "Cameroon starts world's first routine malaria vaccination",
    """
YAOUNDE - Cameroon on Monday became the first country to give a malaria vaccine to children as part
of routine immunisations, a milestone in the fight against a disease that kills almost half a
million African children every year.

The RTS,S vaccine, made by British drugmaker GSK, will be offered free to children from the age of
six months in 42 districts with the highest rates of malaria, the health ministry said. The country
has received 331,000 doses.

"This is a historic day for our children," Health Minister Manaouda Malachie said at a ceremony in
the capital.

The vaccine requires four doses and reduces cases of severe malaria by about 30%, according to
trials. A second vaccine, R21, developed by the University of Oxford, is expected to be rolled out
in other countries later this year.

The World Health Organization recommended both vaccines for use in children in areas with moderate
to high transmission. About 20 African countries plan to introduce malaria vaccines this year, with
funding from the vaccine alliance Gavi.

Health workers said the main challenge would be getting parents to bring their children for all four
doses. Bed nets and treatment would remain essential, officials said.
""",
)

art(
    HEALTH,
    ["NZ"],
    ["GB"],
    "New Zealand repeals world-first tobacco ban for future generations",
    """
WELLINGTON - New Zealand's parliament on Tuesday repealed a law that would have banned the sale of
cigarettes to anyone born after 2008, a world-first measure that health experts said would have
saved thousands of lives.

The coalition government, which took office in November, used its majority to pass the repeal under
urgency, without the usual public consultation. The law would also have cut the number of shops
allowed to sell tobacco to about 600 from 6,000.

Associate Health Minister Casey Costello said the law would have created a black market and hurt
small shops. "We are committed to reducing smoking, but we do not believe prohibition works," she
said.

Doctors, cancer charities and Maori health groups condemned the repeal. Smoking rates among Maori
are about three times higher than in the rest of the population.

"This is a devastating blow for public health," said a spokesperson for the Health Coalition
Aotearoa.

Critics noted the government planned to use tax revenue from tobacco sales to help fund tax cuts,
which ministers denied was the reason for the repeal.

Britain is considering a similar generational ban, which has cleared its first votes in parliament.
""",
)

art(
    HEALTH,
    [WHO],
    ["IN", "CN", "NG", "BR"],
    "Drug-resistant infections rising worldwide, WHO report warns",
    """
GENEVA - One in six bacterial infections confirmed in laboratories worldwide is now resistant to
standard antibiotic treatment, the World Health Organization said on Monday, warning that the
world is running out of options to treat common infections.

Resistance to commonly used antibiotics rose in more than 40% of the combinations of drugs and
bacteria monitored between 2018 and 2023, the report said, with annual increases of 5% to 15%.

The problem was most serious in Southeast Asia and the eastern Mediterranean, where one in three
infections was resistant, and in Africa, where one in five was.

"Antimicrobial resistance is outpacing advances in modern medicine," WHO Director-General Tedros
Adhanom Ghebreyesus said in a statement.

The report is based on data from 104 countries, including large ones such as India, China,
Nigeria and Brazil, although many poorer countries still lack the laboratories to monitor
resistance.

Overuse of antibiotics in people and animals is the main driver of resistance. The WHO called on
governments to strengthen surveillance, improve access to diagnostic tests and restrict the sale of
antibiotics without prescription.

Drug-resistant infections directly cause more than 1 million deaths a year, according to
estimates published last year.
""",
)

art(
    HEALTH,
    ["DE"],
    ["NL", "CZ"],
    "German cannabis law under review a year after legalisation",
    """
BERLIN - Germany's new government will review the law that legalised recreational cannabis last
year, the health minister said on Friday, after conservative politicians called for it to be
scrapped.

Since April last year, adults have been allowed to carry up to 25 grams of cannabis in public and
grow up to three plants at home. Non-profit clubs of up to 500 members can grow the drug and
distribute it to members.

"We will take an open-ended look at the consequences," Health Minister Nina Warken said in an
interview, adding that she was particularly concerned about the effects on young people.

The coalition agreement between the conservatives and Social Democrats said the law would be
evaluated in the autumn. The Christian Democrats had promised during the election campaign to repeal
it.

Police unions say the law has made their work more difficult, while supporters say it has reduced
the number of criminal cases against users and weakened the black market.

Imports of medical cannabis have risen sharply since the law was passed, as online pharmacies make
it easy to obtain a prescription.

Policymakers had looked to the model of the Netherlands, where cannabis has been tolerated in
coffee shops for decades. The Czech Republic is preparing its own legalisation.
""",
)

art(
    HEALTH,
    ["UG"],
    ["CD", WHO],
    "Uganda confirms Ebola outbreak in Kampala",
    """
KAMPALA - Uganda confirmed an outbreak of the Sudan strain of Ebola in the capital on Thursday,
after a nurse who worked at a hospital in the city died of the disease, the health ministry said.

The nurse, 32, had symptoms including a high fever and bleeding and sought treatment at several
health facilities before dying on Wednesday, the ministry said. Forty-four of her contacts,
including
health workers and patients, had been identified and were being monitored.

"We call on the public to remain calm and to report anyone with symptoms," the director general of
health services said.

There is no approved vaccine for the Sudan strain, but the ministry said it would start a trial of a
candidate vaccine within days. The World Health Organization said it had released $1 million to
support the response.

The country has experienced several Ebola outbreaks, including one in 2022 that killed 55 people.
Officials said the experience would help contain the disease quickly.

Ebola is spread through contact with bodily fluids of infected people and has killed thousands in
Africa, with the largest outbreaks in West Africa and in neighbouring Congo.

Health officials said the risk of spread to other countries was low but that border checks had been
stepped up.
""",
)

art(
    HEALTH,
    ["NG"],
    ["GB", "US", "CA"],
    "Nigerian doctors begin indefinite strike over pay",
    """
ABUJA - Doctors in Nigeria's public hospitals began an indefinite strike on Monday over unpaid wages
and poor working conditions, leaving patients stranded in the country's largest cities.

The Nigerian Association of Resident Doctors, which represents about 40% of the country's doctors,
said its members would stay away until the government paid arrears owed since last year and raised
allowances.

"Our members cannot continue to work under these conditions," the association's president told a
news conference in Abuja.

Patients at hospitals in Lagos and Abuja said they had been sent home. "I have been waiting for an
operation for two months, now they tell me to come back," said a woman at a teaching hospital.

The health ministry said it had released funds to pay some arrears and urged doctors to return to
work.

Doctors' groups say low pay and insecurity have driven thousands of doctors to emigrate, mostly to
Britain, where the National Health Service has recruited heavily from abroad. Data from the UK
medical regulator show that more than 10,000 doctors trained in Nigeria are registered to work
there.

Others have moved to the United States, Canada and the Gulf states.
""",
)

# --- culture -----------------------------------------------------------------------------

art(
    CULTURE,
    ["IR"],
    ["FR", "NO"],
    "Dissident Iranian director wins Palme d'Or at Cannes",
    """
CANNES - Iranian director Jafar Panahi won the Palme d'Or at the Cannes Film Festival on Saturday
for
"It Was Just an Accident", a thriller about former political prisoners who confront a man they
believe tortured them.

Panahi, who has been banned from filmmaking at home and was jailed twice, shot the film
clandestinely. It was his first trip abroad in more than 15 years, after authorities lifted a
travel ban.

"Let us put aside all differences, the most important thing at this moment is our country and its
freedom," Panahi said as he accepted the award from jury president Juliette Binoche.

The film's victory was celebrated by Iranians in exile, and videos posted online showed people
cheering at Tehran's international airport as he returned home days later.

Iran's foreign ministry summoned the French charge d'affaires to protest against what it called
"insulting allegations" made by the French foreign minister in comments about the award. State
media in Tehran largely ignored the prize.

Panahi's films have won top awards at Berlin and Venice. His previous film "No Bears" was made while
he was under a filmmaking ban, and he was arrested in 2022 after protesting against the detention
of other directors.

The festival's Grand Prix went to Norwegian director Joachim Trier.
""",
)

art(
    CULTURE,
    ["KR"],
    ["US"],
    "BTS reunite as all members complete military service",
    """
SEOUL - All seven members of K-pop group BTS have completed their mandatory military service, their
management agency said on Saturday, clearing the way for a reunion that fans have awaited for
almost three years.

Suga, the last member to finish, was discharged from his alternative service at a community centre
in Seoul, where he had worked as a social service agent.

"Thank you for waiting, we will be back soon with a new album," the band said in a message to fans
posted online.

HYBE, the agency, said the group planned to release new music next spring and embark on a world
tour. Shares of the company rose 5% on the news.

All able-bodied South Korean men aged between 18 and 28 must serve in the military for about 18
months. Lawmakers debated whether to exempt the band, which has been credited with promoting the
country's culture abroad, but decided against it.

The group's members released solo work while they served, several of which topped charts in the
United States. Analysts say the return of the band could add billions of dollars to the economy
through tourism and merchandise.

Fans gathered outside the agency's headquarters with banners welcoming the members back.
""",
)

art(
    CULTURE,
    ["UNESCO"],
    ["KH", "CN", "SL", "FR", "DE"],
    "UNESCO adds 26 sites to World Heritage list",
    """
PARIS - The UN cultural agency UNESCO added 26 sites to its World Heritage list at a meeting of its
committee that ended on Saturday, including former Khmer Rouge prisons, imperial tombs and a
rainforest.

The additions bring the total number of protected sites to 1,248. They include the Cambodian sites
of memory where the Khmer Rouge detained and killed thousands of people, and a group of Ming
dynasty tombs in China.

The committee also listed, for the first time, sites in Sierra Leone, whose Gola-Tiwai forest
complex is home to endangered pygmy hippos.

"Each of these sites tells a story of humanity," UNESCO Director-General Audrey Azoulay said.

Other additions included prehistoric rock carvings in France, a former royal palace in southern
Germany and a group of megalithic monuments in the Carnac region.

The committee also discussed sites considered in danger, and decided to keep the old city of
Jerusalem and several sites in conflict zones on its danger list.

Governments campaign hard to have sites listed, as the status brings prestige and tourism, but
experts warn that large numbers of visitors can damage fragile places. The agency said more funds
were needed to protect sites.
""",
)

art(
    CULTURE,
    ["CH"],
    ["IL", "SE", "HR", "NL", "PS"],
    "Switzerland's Nemo wins Eurovision amid protests",
    """
MALMO - Swiss singer Nemo won the Eurovision Song Contest on Saturday with "The Code", a song about
their journey to accepting their non-binary identity, at a contest overshadowed by protests over the
war in Gaza.

Nemo, 24, beat favourite Croatia to take the country's first win since 1988, when a young Celine
Dion sang for Switzerland. "I hope this contest can live up to its promise and continue to stand
for peace and dignity for every person," Nemo said after receiving the trophy.

The victory means the country will host next year's contest. Basel and Geneva are among the cities
expected to bid.

The competition, held this year in Sweden, was marked by demonstrations against Israel's
participation. Thousands of protesters marched through Malmo, and the Israeli singer was booed
during her performance, although she finished fifth after a strong public vote.

Organisers also disqualified the Dutch entrant after an incident with a camera operator, the
first time a finalist had been removed from the contest.

Swiss media hailed the win as a boost for the country's music scene. The government said it would
discuss the costs of hosting with the national broadcaster.
""",
)

art(
    CULTURE,
    ["NG", "DE"],
    ["GB", "FR", "BJ"],
    "Germany returns more Benin Bronzes to Nigeria",
    """
ABUJA - Germany on Tuesday handed back 22 Benin Bronzes to Nigeria, the latest return of artefacts
looted by British troops in 1897, in a ceremony attended by the German culture minister and Nigerian
officials.

The bronzes, which include plaques and sculptures, had been held by museums in Berlin, Cologne,
Hamburg and Stuttgart. Germany agreed last year to transfer ownership of more than 1,100 Benin
objects in its collections.

"We are returning what was taken unjustly," the culture minister said.

Nigeria's national museums commission said the objects would eventually be displayed in a new museum
in Benin City, the historic capital of the kingdom of Benin in the south of the country.

The ownership of the returned bronzes caused controversy last year after the outgoing president
recognised the Oba of Benin, the traditional ruler, as their owner. German officials said they had
received assurances the objects would be accessible to the public.

The British Museum, which holds the largest collection of the bronzes, has said it is prevented by
law from giving them back. France has returned 26 treasures to the neighbouring republic of Benin.

Campaigners said the returns should be a model for other museums.
""",
)

art(
    CULTURE,
    ["KR"],
    ["SE", "UA"],
    "South Korean author Han Kang wins Nobel Prize in Literature",
    """
STOCKHOLM - South Korean author Han Kang won the 2024 Nobel Prize in Literature on Thursday for what
the Swedish Academy called "her intense poetic prose that confronts historical traumas and exposes
the fragility of human life".

Han, 53, is the first writer from her country to win the prize. She is best known internationally
for "The Vegetarian", a novel about a woman who stops eating meat, which won the International
Booker Prize in 2016.

"I am surprised and honoured," Han said in a short telephone interview with the academy.

President Yoon Suk Yeol called the prize a "great achievement in the history of Korean literature",
and bookshops in Seoul reported that her books had sold out within hours of the announcement.

Her works deal with violence and its consequences, including the 1980 massacre of pro-democracy
protesters in the city of Gwangju, which is the subject of her novel "Human Acts".

Han was born in Gwangju and is the daughter of a well-known novelist. She has said she would not
hold
a news conference because of wars in Ukraine and the Middle East.

The prize is worth 11 million Swedish crowns ($1.1 million).
""",
)

art(
    CULTURE,
    ["IN"],
    ["US", "GB"],
    "Bollywood film breaks opening weekend box office record",
    """
MUMBAI - The Hindi action film "Pushpa 2: The Rule" took more than 5 billion rupees ($59 million)
worldwide in its first four days, the biggest opening for an Indian film, its producers said on
Monday.

The sequel, starring Allu Arjun as a sandalwood smuggler, was released in several languages on
about 12,000 screens, and many cinemas scheduled screenings starting in the early hours of the
morning.

"The response has been overwhelming," the film's producer said in a statement.

The release was marred by tragedy when a woman died in a crowd crush at a cinema in Hyderabad
during a premiere attended by the star. Police filed a case against the cinema's management.

The film industry has struggled to bring audiences back to cinemas since the pandemic, as
streaming services have grown, and a string of big-budget films flopped last year.

Trade analysts said the success of films made in southern languages and dubbed into Hindi showed
how the industry was changing, with regional cinema increasingly reaching national audiences.

The film also performed strongly overseas, particularly in the United States and Britain, home to
large diaspora communities.
""",
)

art(
    CULTURE,
    ["IL"],
    ["IT", "PS"],
    "Israeli artist keeps Venice Biennale pavilion closed until ceasefire",
    """
VENICE - The artist representing Israel at the Venice Biennale said on Tuesday she would not open
the
country's pavilion until there was a ceasefire in Gaza and an agreement to release hostages.

Ruth Patir and the exhibition's curators put a sign on the pavilion's glass door saying it would
open "when a ceasefire and hostage release agreement is reached". The installation inside can be
seen through the window.

"I don't want to cancel the exhibition, but I support the demand of the families of the hostages,"
Patir told reporters.

Thousands of artists and curators had signed a petition calling on the Biennale to exclude Israel
because of its military campaign in Gaza. The organisers rejected the demand, and the Italian
culture minister called the petition "shameful".

Protesters gathered outside the Biennale's main site on Wednesday, waving Palestinian flags.

The Israeli government said the artist's decision was her own and that the culture ministry had
not been consulted.

The Biennale, the world's oldest international art exhibition, opens to the public on Saturday and
runs until November. About 90 countries have pavilions this year.
""",
)

art(
    CULTURE,
    ["MX"],
    ["US", "UNESCO"],
    "Mexico City's Day of the Dead parade draws record crowds",
    """
MEXICO CITY - More than 1.5 million people watched the Day of the Dead parade in Mexico City on
Saturday, organisers said, a record for an event that was inspired by a James Bond film and has
become one of the capital's biggest attractions.

Giant skeletons, dancers in painted skull make-up and floats decorated with marigolds moved along
the Paseo de la Reforma avenue to the main square, the Zocalo.

"We come every year with the whole family, it is a way of remembering our dead with joy," said a
woman who had travelled from the state of Puebla.

The parade was first held in 2016, a year after the opening scene of the Bond film "Spectre"
showed a fictional procession through the streets. City authorities decided to stage a real one
to attract tourists.

The Day of the Dead, celebrated on Nov. 1 and 2, is a tradition with roots in indigenous and
Catholic practices, in which families build altars with photographs, food and candles for their
deceased relatives. UNESCO recognised the festivities as part of the intangible cultural
heritage of humanity in 2008.

Tourism officials said hotel occupancy in the capital was above 90%, with many visitors from the
United States and Europe.
""",
)

art(
    CULTURE,
    ["IT"],
    ["DE"],
    "Italy takes centre stage as guest of honour at Frankfurt Book Fair",
    """
FRANKFURT - Italy opened its programme as guest of honour at the Frankfurt Book Fair on Tuesday,
with
more than 100 authors and a pavilion designed as an Italian town square, in a year when the
country's publishers have enjoyed rising foreign sales.

The pavilion, built around a reconstructed piazza with a library and a theatre, was opened by the
Italian culture minister, who said the country's literature was "one of its greatest exports".

Italian publishers sold foreign rights to more than 8,000 titles last year, a record, according to
the national publishers' association, helped by the international success of authors such as
Elena Ferrante.

The programme became embroiled in controversy before the fair opened when several authors said
they had been excluded because of their criticism of Prime Minister Giorgia Meloni's government.
Writer Roberto Saviano, a prominent critic of Meloni, was later invited by the fair's organisers
directly.

"Culture should not be afraid of dissent," Saviano told an audience on the opening day.

The fair, the world's largest for the publishing trade, runs until Sunday and expects about 4,000
exhibitors from 100 countries. The German publishers' association said sales in its home market had
been flat this year.
""",
)

art(
    CULTURE,
    ["EG"],
    ["GB", "JP"],
    "Grand Egyptian Museum opens after two decades of construction",
    """
GIZA - Egypt opened the Grand Egyptian Museum near the pyramids of Giza on Saturday, more than 20
years after construction began, with a ceremony attended by heads of state and royalty.

The museum, which cost about $1 billion, houses more than 50,000 artefacts, including the complete
collection of treasures from the tomb of the boy king Tutankhamun, displayed together for the first
time since the tomb was discovered in 1922.

"This museum is a gift from the Egyptian people to the world," President Abdel Fattah al-Sisi said
in a speech.

The government hopes the museum will help attract 30 million tourists a year by 2032, up from a
record 15.7 million last year. Tourism is one of the country's main sources of foreign currency.

The project was delayed repeatedly by political unrest after 2011, the pandemic and funding
problems. It was partly financed by loans from Japanese development agencies.

Archaeologists have renewed calls for the return of famous artefacts held abroad, including the
Rosetta Stone, which is in the British Museum in London, and the bust of Nefertiti in Berlin. The
museum's director said those objects "belong here".
""",
)

art(
    CULTURE,
    ["CN"],
    ["US"],
    "Chinese animated film Ne Zha 2 becomes highest-grossing animated movie",
    """
BEIJING - Chinese animated film "Ne Zha 2" has become the highest-grossing animated film of all
time,
overtaking Disney's "Inside Out 2", according to box office data compiled by ticketing platforms on
Monday.

The film, based on a character from Chinese mythology, has taken more than 12 billion yuan ($1.65
billion) since it was released during the Lunar New Year holiday, almost all of it in mainland
cinemas.

It is also the first film not made in Hollywood to take more than $1 billion at the box office.

"This is a sign of confidence in our culture," state media said in a commentary, calling the film
a national phenomenon.

The film's director, Jiaozi, spent five years making it, and more than 4,000 people worked on its
special effects, its studio said. Audiences have praised its humour and visual effects, and many
people have watched it several times.

The film has been released in cinemas in several other countries, including the United States,
where it has earned only a few million dollars.

Analysts said the success showed how local films had come to dominate the domestic box office,
while the share of Hollywood films has fallen to less than a fifth.
""",
)

art(
    CULTURE,
    ["NG"],
    ["GH"],
    "Nigerian stars win big at Grammys as Afrobeats category expands",
    """
LOS ANGELES - Nigerian singer Tems won the first Grammy award for best African music performance on
Sunday, as Afrobeats artists from the continent enjoyed their strongest showing at the music
industry's biggest awards.

Tems won for her song "Love Me JeJe", beating fellow Nigerians Burna Boy and Davido, as well as the
Ghanaian rapper and singer Black Sherif.

"This is for everybody back home," she said on stage. "We are not going anywhere."

The Recording Academy created the category last year in recognition of the growing popularity of
African music, particularly the Afrobeats genre that emerged from Lagos and spread worldwide
through streaming.

Nigeria's culture minister said the win showed the strength of the country's creative industries,
which the government wants to turn into a major source of export earnings.

Afrobeats songs were streamed more than 13 billion times on Spotify last year. Concerts by Nigerian
stars now sell out large stadiums in London, Paris and New York.

Burna Boy, who won a Grammy in 2021, has been nominated in the best global music album category
this year.
""",
)

art(
    CULTURE,
    ["FR"],
    ["US", "UA", "GB", "UNESCO"],
    "Notre-Dame cathedral reopens five years after fire",
    """
PARIS - Notre-Dame cathedral reopened on Saturday with a ceremony attended by world leaders, five
and a half years after a fire destroyed its roof and spire and nearly brought down the medieval
building.

The archbishop of Paris knocked three times on the cathedral's great doors with his crozier before
they opened to a choir singing psalms. Firefighters who saved the building received a standing
ovation.

"The French have done what they said they would," President Emmanuel Macron said in a speech inside
the cathedral, thanking the craftsmen and donors who had made the restoration possible.

About 1,500 guests attended the ceremony, including U.S. President-elect Donald Trump, Ukrainian
President Volodymyr Zelenskiy and Prince William of Britain.

The restoration cost about 700 million euros, paid for by donations from around the world. About
2,000 people worked on the project, rebuilding the spire as it was before the fire.

The cathedral, a UNESCO World Heritage site, drew about 12 million visitors a year before the fire.
The authorities expect even more now.

The cause of the fire in April 2019 has not been determined, though investigators believe it was
accidental.
""",
)

art(
    CULTURE,
    ["JP"],
    [],
    "Japan mourns animator whose films defined a generation",
    """
TOKYO - Tributes poured in on Wednesday for Hiroshi Tanabe, the animator and director whose films
about childhood and loss were watched by millions, after his studio announced he had died at the age
of 81.

Tanabe's studio said he died peacefully at home on Monday after a long illness. A private funeral
was held with his family.

His best-known film, "The Lantern Keeper", about a girl who guards a lighthouse after her father
goes missing at sea, was the highest-grossing domestic film of its year and won awards at home and
abroad.

"He taught us that animation could carry the weight of real life," said a director who trained at
his studio.

Born in Osaka in 1943, Tanabe began his career drawing backgrounds for television series in the
1960s before founding his own studio. He was known for painting many backgrounds by hand long after
the industry moved to computers.

The prime minister said the country had lost "a great storyteller", and fans left flowers and
handwritten notes outside the studio in western Tokyo.

A retrospective of his work planned for next year at the National Museum of Modern Art will go
ahead, the museum said.
""",
)

art(
    CULTURE,
    ["AU", "GB"],
    [],
    "London museum returns Aboriginal remains to Australia",
    """
LONDON - The Natural History Museum in London handed over the remains of 25 Aboriginal people to
representatives of their communities on Thursday, part of a long campaign to return ancestral
remains taken during colonial times.

The remains, taken in the 19th and early 20th centuries by collectors and scientists, will be
returned to communities in the Northern Territory and Queensland for reburial.

"Our ancestors are finally going home," said an elder who travelled to the ceremony. "They were
taken without consent, and they have been away too long."

The British government changed its guidance in recent years to encourage museums to return human
remains held in their collections. The Natural History Museum said it had agreed to every request it
had received from Aboriginal communities.

Australia's government has funded a programme to bring back ancestral remains from overseas since
the 1990s. About 1,700 have been returned from collections in other countries, but officials
estimate thousands more remain abroad.

The Australian high commissioner thanked the museum and said the return was a step towards
reconciliation.

Campaigners said many museums in Europe still held remains and that the process of repatriation
was too slow.
""",
)


def paragraphs(body: str) -> str:
    """The body as its paragraphs (blank-line separated here) joined by one blank line, each
    on one line: the line breaks in this file are only where the source wraps (a line ending
    in a hyphen joins the next without a space, as in `Nagorno-Karabakh`)."""
    out = []
    for block in body.strip().split("\n\n"):
        text = ""
        for line in block.split("\n"):
            line = line.strip()
            text += line if not text or text.endswith("-") else " " + line
        out.append(text)
    return "\n\n".join(out)


def records() -> list[dict[str, object]]:
    """Every article as a JSON-ready record; ids are the topic's first two letters and a number."""
    out: list[dict[str, object]] = []
    numbers: dict[str, int] = {}
    for topic, about, also, title, body in ARTICLES:
        if topic not in TOPICS:
            raise SystemExit(f"{title!r}: unknown topic {topic!r}")
        if set(about) & set(also):
            raise SystemExit(f"{title!r}: {sorted(set(about) & set(also))} in about and also")
        numbers[topic] = numbers.get(topic, 0) + 1
        out.append(
            {
                "id": f"{topic[:2]}{numbers[topic]:02d}",
                "topic": topic,
                "title": title,
                "body": paragraphs(body),
                "about": sorted(set(about)),
                "mentioned": sorted(set(about) | set(also)),
            }
        )
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--out", type=Path, default=OUT, help="file to write")
    out: Path = parser.parse_args(argv).out
    lines = [json.dumps(record, ensure_ascii=False) for record in records()]
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {len(lines)} articles to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
