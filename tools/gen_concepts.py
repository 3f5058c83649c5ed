"""Generates ontology/concepts.ttl (the SKOS concept schemes): edit the tables here, then run it."""
schemes = {
 "body-style": ("BodyStyleScheme", [
   ("sedan","Sedan",["saloon"],"A car with a separate boot and four doors."),
   ("hatchback","Hatchback",[],"A car with a rear door that opens upwards, including the boot."),
   ("suv","SUV",["sport utility vehicle","crossover"],"A sport utility vehicle or crossover."),
   ("suv-coupe","SUV coupe",["coupe SUV"],"An SUV with a sloping, coupe-like roof."),
   ("wagon","Wagon",["estate","shooting brake","sport turismo"],"A car with a long roof extended over the boot."),
   ("coupe","Coupe",[],"A two-door car with a fixed roof."),
   ("convertible","Convertible",["cabriolet","roadster"],"A car with a roof that opens."),
   ("mpv","MPV",["minivan","multi-purpose vehicle"],"A multi-purpose vehicle or people carrier."),
   ("pickup","Pickup",["pickup truck","ute"],"A light vehicle with an open cargo bed."),
   ("van","Van",[],"A light commercial van."),
 ]),
 "segment": ("SegmentScheme", [
   ("a","A segment (mini)",["mini car","city car","A0"],"Mini cars, about 3.5-3.8 m long."),
   ("b","B segment (small)",["small car","supermini"],"Small cars, about 3.8-4.3 m long."),
   ("c","C segment (compact)",["compact","medium"],"Compact cars, about 4.3-4.7 m long."),
   ("d","D segment (mid-size)",["mid-size","large family"],"Mid-size cars, about 4.7-4.95 m long."),
   ("e","E segment (full-size)",["full-size","executive"],"Full-size and executive cars, about 4.95-5.2 m long."),
   ("f","F segment (luxury)",["luxury","large luxury"],"Luxury and very large cars, over about 5.1 m long."),
   ("s","S segment (sports)",["sports car","supercar"],"Sports cars and supercars."),
 ]),
 "powertrain": ("PowertrainScheme", [
   ("bev","BEV",["battery electric","battery-electric vehicle","EV"],"Battery-electric: driven by electric motors from a battery charged from the grid."),
   ("erev","EREV",["extended-range electric","range extender","REEV"],"Extended-range electric: driven by electric motors; a combustion engine only generates electricity."),
   ("phev","PHEV",["plug-in hybrid","DM-i"],"Plug-in hybrid: a combustion engine and electric motors both drive the wheels; the battery charges from the grid."),
   ("hev","HEV",["hybrid","full hybrid"],"Hybrid that cannot be charged from the grid."),
   ("ice","ICE",["internal combustion","combustion","petrol","diesel"],"Driven by an internal combustion engine only."),
   ("fcev","FCEV",["fuel cell"],"Fuel-cell electric: electricity from hydrogen."),
 ]),
 "status": ("ModelStatusScheme", [
   ("rumoured","rumoured",["reported","rumored"],"Reported by media but not announced by the manufacturer."),
   ("announced","announced",["unveiled","planned","upcoming"],"Announced or unveiled by the manufacturer, not yet on sale."),
   ("on-sale","on sale",["launched","in production"],"On sale."),
   ("discontinued","discontinued",["ended"],"No longer sold new."),
 ]),
 "variant-kind": ("VariantKindScheme", [
   ("long-wheelbase","long wheelbase",["LWB","L"],"A longer-wheelbase version of the base model."),
   ("performance","performance",["GT","sport","Ultra"],"A more powerful or sportier version of the base model."),
   ("body-derivative","body derivative",["body variant"],"The base model with another body (coupe, wagon, cross)."),
   ("powertrain-derivative","powertrain derivative",["powertrain variant"],"The base model with another powertrain (an EREV of a BEV)."),
   ("export-name","export name",["rebadge","market name"],"The same model sold under another name in other markets."),
   ("trim","trim",["edition","grade"],"An equipment or trim level sold under a name of its own."),
   ("facelift","facelift",["refresh","mid-cycle update"],"A refreshed version of the base model."),
   ("rebadge","rebadge",["badge engineering","based on"],"A model derived from another maker's model."),
 ]),
 "claim-kind": ("ClaimKindScheme", [
   ("company-statement","company statement",["official","company-reported"],"The company's own statement: a press release, filing, earnings call or its executive's announcement."),
   ("media-report","media report",["according to reports","reportedly"],"Reported by media from sources other than the company's own statement."),
   ("third-party-estimate","third-party estimate",["estimate","registrations estimate"],"A figure estimated or compiled by a third party (registration data, industry body, tracker)."),
   ("analyst-view","analyst view",["analyst","commentary"],"An analyst's or journalist's judgement, such as which models compete."),
   ("dataset-record","dataset record",["dataset"],"A record of a published dataset."),
 ]),
 "measure": ("MeasureScheme", [
   ("deliveries","deliveries",["delivered"],"Vehicles handed over to customers, as the maker reports them."),
   ("sales","sales",["sold","wholesale"],"Vehicles sold, as the source counts them (wholesale or retail)."),
   ("registrations","registrations",["insurance registrations"],"Vehicles registered, as registration or insurance data count them.","sales"),
   ("orders","orders",["bookings","reservations"],"Orders or reservations taken."),
   ("revenue","revenue",["turnover"],"Revenue, in a currency."),
   ("production","production",["output","built"],"Vehicles produced."),
   ("price","price",["list price","starting price"],"The list price of the model, or the range over its trims, in a currency."),
 ]),
 "bound": ("BoundScheme", [
   ("exact","exact",[],"The value is the figure."),
   ("at-least","at least",["more than","over","at_least"],"The figure is the value or more (more than 410,000)."),
   ("at-most","at most",["less than","under","at_most"],"The figure is the value or less."),
   ("about","about",["approximately","around"],"The figure is close to the value."),
   ("range","range",["between"],"The figure lies between akg:minValue and akg:maxValue."),
 ]),
 "unit": ("UnitScheme", [
   ("vehicles","vehicles",["units","cars"],"A count of vehicles."),
   ("orders","orders",[],"A count of orders."),
   ("CNY","CNY",["yuan","renminbi","RMB"],"Chinese yuan (ISO 4217 CNY)."),
   ("EUR","EUR",["euro"],"Euro (ISO 4217 EUR)."),
   ("USD","USD",["US dollar"],"US dollar (ISO 4217 USD)."),
   ("GBP","GBP",["pound sterling"],"Pound sterling (ISO 4217 GBP)."),
 ]),
 "period": ("PeriodKindScheme", [
   ("year","calendar year",["full year"],"A calendar year."),
   ("quarter","quarter",["Q"],"A calendar quarter."),
   ("month","month",[],"A calendar month."),
   ("span","span",["period"],"Any span from a start day to an end day (the first nine months of 2025)."),
   ("cumulative","cumulative to date",["by the end of","to date"],"Everything up to the end day, from the beginning."),
 ]),
 "review-status": ("ReviewStatusScheme", [
   ("extracted","extracted, not reviewed",["unreviewed","candidate"],"Extracted by a program from its source and not yet reviewed by a person; answers leave it out unless asked."),
   ("accepted","accepted",["reviewed"],"Reviewed by a person and accepted as what the source says."),
   ("rejected","rejected",["refused"],"Reviewed by a person and rejected: the source does not say it, or the program misread it."),
 ]),
 "basis": ("CompetitionBasisScheme", [
   ("positioning","positioning",["marketed against"],"The maker or the source positions the model against the other."),
   ("price","price",[],"Similar price."),
   ("size","size",["dimensions"],"Similar size or dimensions."),
   ("design","design",["looks","styling"],"Similar design or looks."),
   ("segment","segment",["class"],"Same segment or class."),
   ("sales","sales",["sales race","outsold"],"Compared by sales."),
   ("performance","performance",["specifications"],"Compared by performance or specifications."),
 ]),
 "credibility-tier": ("CredibilityTierScheme", [
   ("primary","primary",["primary source","official"],"The company itself (its site, filings and releases, also as distributed by a press-release wire), a regulator or a statistics body."),
   ("established","established",["established press","press of record"],"Wires, newspapers and trade press of record, which check what they publish (Reuters, Bloomberg, CnEVPost, electrive ...)."),
   ("secondary","secondary",["secondary source","weak"],"Aggregators, syndication copies, mirrors, blogs, AI-written summaries and unknown sites: a lead, not a settled source."),
 ]),
 "publisher-kind": ("PublisherKindScheme", [
   ("company","company",["manufacturer","issuer"],"The company the claim is about, or another company, publishing on its own site."),
   ("press-release-wire","press-release wire",["newswire"],"A service that distributes companies' own releases verbatim (GlobeNewswire, PR Newswire, Business Wire)."),
   ("regulator","regulator",["government"],"A regulator or ministry."),
   ("statistics-body","statistics body",["industry association"],"A statistics office or industry body that compiles figures (CPCA, CAAM, KBA)."),
   ("wire","news agency",["wire service"],"A news agency (Reuters, Bloomberg, AP, AFP, Xinhua)."),
   ("newspaper","newspaper",["daily"],"A newspaper or general news site of record."),
   ("broadcaster","broadcaster",["television","radio"],"A broadcaster's news site."),
   ("trade-press","trade press",["industry press","automotive press"],"Automotive or technology trade press."),
   ("financial-press","financial press",["business press"],"Financial and business news."),
   ("broker-research","broker research",["analyst note"],"A broker's or research firm's note."),
   ("encyclopedia","encyclopedia",["wiki"],"An encyclopedia anyone can edit."),
   ("aggregator","aggregator",["news aggregator"],"A site that collects or rewrites others' stories."),
   ("syndication","syndication copy",["repost","republisher"],"A site that republishes another outlet's story."),
   ("mirror","mirror",["proxy","cache"],"A copy of another site's page under another address."),
   ("blog","blog",["forum","personal site"],"A blog, forum or personal site."),
   ("ai-summary","AI-written summary",["AI content farm"],"A site whose pages are written by a language model."),
   ("unknown","unknown",[],"A site whose nature could not be established."),
 ]),
 "date-precision": ("DatePrecisionScheme", [
   ("day","day",[],"The date is known to the day."),
   ("month","month",[],"Only the month is known: the date is the month's first day."),
   ("year","year",[],"Only the year is known: the date is the year's first day."),
 ]),
}
regions = [("world","World",["global"],"All markets."),
 ("europe","Europe",["EU"],"European markets."),
 ("asia","Asia",[],"Asian markets."),
 ("middle-east","Middle East",[],"Middle Eastern markets."),
 ("southeast-asia","Southeast Asia",["ASEAN"],"Southeast Asian markets."),
 ("latin-america","Latin America",[],"Latin American markets."),
 ("north-america","North America",[],"North American markets."),
 ("oceania","Oceania",[],"Australia, New Zealand and the Pacific."),
 ("outside-CN","Outside China",["overseas","outside China","ex-China","World except China","international"],"Every market but China: what makers call overseas.")]
#: Regions that are the world but one market: region notation -> the market left out.
excepting = {"outside-CN": "CN"}
countries = [("CN","China","asia",["PRC","mainland China"]),("US","United States","north-america",["USA"]),("CA","Canada","north-america",[]),("MX","Mexico","latin-america",[]),("BR","Brazil","latin-america",[]),
 ("DE","Germany","europe",[]),("FR","France","europe",[]),("GB","United Kingdom","europe",["UK"]),("IT","Italy","europe",[]),("ES","Spain","europe",[]),("NL","Netherlands","europe",[]),("NO","Norway","europe",[]),("SE","Sweden","europe",[]),("DK","Denmark","europe",[]),("BE","Belgium","europe",[]),("CH","Switzerland","europe",[]),("AT","Austria","europe",[]),("PL","Poland","europe",[]),("HU","Hungary","europe",[]),("TR","Turkey","europe",["Türkiye"]),("PT","Portugal","europe",[]),("GR","Greece","europe",[]),("RO","Romania","europe",[]),("CZ","Czechia","europe",["Czech Republic"]),("FI","Finland","europe",[]),("IE","Ireland","europe",[]),("LU","Luxembourg","europe",[]),("IS","Iceland","europe",[]),("SK","Slovakia","europe",[]),
 ("JP","Japan","asia",[]),("KR","South Korea","asia",["Korea"]),("IN","India","asia",[]),("HK","Hong Kong","asia",[]),("TW","Taiwan","asia",[]),("SG","Singapore","southeast-asia",[]),("TH","Thailand","southeast-asia",[]),("MY","Malaysia","southeast-asia",[]),("ID","Indonesia","southeast-asia",[]),("VN","Vietnam","southeast-asia",["Viet Nam"]),("PH","Philippines","southeast-asia",[]),("UZ","Uzbekistan","asia",[]),
 ("AE","United Arab Emirates","middle-east",["UAE"]),("SA","Saudi Arabia","middle-east",[]),("IL","Israel","middle-east",[]),("QA","Qatar","middle-east",[]),
 ("AU","Australia","oceania",[]),("NZ","New Zealand","oceania",[]),("KH","Cambodia","southeast-asia",[]),("PK","Pakistan","asia",[]),("KZ","Kazakhstan","asia",[]),("RU","Russia","europe",[]),("ZA","South Africa","world",[]),("EG","Egypt","middle-east",[]),("CL","Chile","latin-america",[]),("CO","Colombia","latin-america",[]),("AR","Argentina","latin-america",[]),("JO","Jordan","middle-east",[]),("KW","Kuwait","middle-east",[]),("BH","Bahrain","middle-east",[]),("OM","Oman","middle-east",[]),("AZ","Azerbaijan","asia",[]),("NP","Nepal","asia",[]),("LK","Sri Lanka","asia",[]),("BD","Bangladesh","asia",[])]
out = ["""@prefix akg:  <https://w3id.org/autokg/ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .

# Concepts of autokg's controlled vocabularies. IRIs are
# https://w3id.org/autokg/concept/<scheme>/<notation>; markets use ISO 3166-1 alpha-2 codes.
"""]
def esc(s): return s.replace('"','\\"')
def concept(scheme_path, scheme, notation, label, alts, definition, extra=""):
    iri = f"<https://w3id.org/autokg/concept/{scheme_path}/{notation}>"
    lines = [f"{iri} a skos:Concept ;", f"    skos:inScheme akg:{scheme} ;", f'    skos:prefLabel "{esc(label)}"@en ;', f'    rdfs:label "{esc(label)}"@en ;', f'    skos:notation "{notation}" ;']
    for a in alts: lines.append(f'    skos:altLabel "{esc(a)}"@en ;')
    if extra: lines.append(extra)
    lines.append(f'    skos:definition "{esc(definition)}"@en .')
    return "\n".join(lines)+"\n"
for path,(scheme,items) in schemes.items():
    out.append(f"\n# {scheme}\n")
    # A row may end with the notation of a broader concept of its scheme (registrations are sales).
    for n,l,a,d,*broader in items:
        extra = (f"    skos:broader <https://w3id.org/autokg/concept/{path}/{broader[0]}> ;" if broader
                 else f"    skos:topConceptOf akg:{scheme} ;")
        out.append(concept(path, scheme, n, l, a, d, extra))
out.append("\n# MarketScheme: regions\n")
for n,l,a,d in regions:
    extra = "    skos:topConceptOf akg:MarketScheme ;" if n=="world" else "    skos:broader <https://w3id.org/autokg/concept/market/world> ;"
    if n in excepting:
        extra += f"\n    akg:marketExcept <https://w3id.org/autokg/concept/market/{excepting[n]}> ;"
    out.append(concept("market","MarketScheme",n,l,a,d,extra))
out.append("\n# MarketScheme: countries (ISO 3166-1 alpha-2)\n")
for c,l,reg,a in countries:
    out.append(concept("market","MarketScheme",c,l,a,f"{l} (ISO 3166-1 {c}).", f"    skos:broader <https://w3id.org/autokg/concept/market/{reg}> ;"))
open(__import__("pathlib").Path(__file__).resolve().parent.parent / "ontology" / "concepts.ttl", "w", encoding="utf-8").write("".join(out))
