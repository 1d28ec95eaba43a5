import hashlib, json, re
from pathlib import Path
shared = Path('/work/shared')
def span(text, start_anchor, end_anchor, after=0):
    s = text.index(start_anchor, after)
    e = text.index(end_anchor, s) + len(end_anchor)
    return s, e
rows = []
# 000
p = 'examples/000_c9c05234e123b85a.txt'
t = (shared / p).read_text()
H = 'Hua Chunying'
q = []
for a, b, d in [
    ('La Chine s’oppose', 'extrêmement irresponsable', False),
    ('Nous avons prêté', 'fortement opposé', True),
    ('la cybersécurité est un défi', 'le dialogue et la coopération', False),
    ('La politisation', 'du cyberespace', True),
    ('le Royaume-Uni a développé', 'la véritable menace pour le cyberespace', False),
    ('Nous exhortons', 'et non l’inverse', True)]:
    s, e = span(t, a, b)
    q.append({'start': s, 'end': e, 'direct': d, 'speaker': H})
end = t.index('Rejoignez')
ents = []
for word, label in [('Chine', 'LOC'), ('Royaume-Uni', 'LOC'), ('Pékin', 'LOC'), ('ministère chinois des Affaires étrangères', 'ORG'),
                    ('Hua Chunying', 'PER'), ('Dominic Raab', 'PER'), ('Fédération de Russie', 'LOC'), ('Raab,', 'PER'),
                    ('la Russie', 'LOC'), ('Iran', 'LOC'), ('Corée du Nord', 'LOC')]:
    for m in re.finditer(re.escape(word), t[:end]):
        s, e = m.start(), m.end()
        if word == 'Raab,': e -= 1
        if word == 'la Russie': s += 3
        if word == 'Chine' and t[s-1:s] == ' ' and t[s-13:s].strip().endswith('minist'):
            continue
        ents.append({'start': s, 'end': e, 'label': label})
# "Chine" inside "ministère chinois" is lowercase; drop overlaps with ORG
ents = sorted({(e['start'], e['end'], e['label']) for e in ents})
ents = [{'start': s, 'end': e, 'label': l} for s, e, l in ents]
rows.append({'id': '000_c9c05234e123b85a', 'language': 'fr', 'path': p,
             'sha256': hashlib.sha256((shared / p).read_bytes()).hexdigest(), 'scored_until': end,
             'quotes': q, 'entities': ents})
# 004
p = 'examples/004_48e08f0d0b571247.txt'
t = (shared / p).read_text()
S = "porte-parole de l'ambassade de Chine au Royaume-Uni"
q = []
for a, b, d in [
    ('pure fabrication', 'pure fabrication', True),
    ('calomnie', 'calomnie', True),
    ('Nous appelons', 'contre la Chine', True),
    ('les Etats-Unis se livraient', 'européens', False),
    ('En la matière', 'Au voleur!"', False),
    ('la cybersécurité est une question globale', 'intérêts de tous', False),
    ("La Chine s'est toujours montrée", 'communauté partagée de cybersécurité', False)]:
    s, e = span(t, a, b)
    q.append({'start': s, 'end': e, 'direct': d, 'speaker': S})
end = t.index('a-t-il conclu') + len('a-t-il conclu.')
ents = []
for word, label in [('ambassade de Chine au Royaume-Uni', 'ORG'), ('Foreign Office', 'ORG'), ('Microsoft', 'ORG'),
                    ('Etats-Unis', 'LOC'), ('WikiLeaks', 'ORG'), ('Edward Snowden', 'PER'), ('Crypto AG', 'ORG'),
                    ('le Royaume-Uni et', 'LOC'), ('La Chine', 'LOC'), ('contre la Chine', 'LOC'), ('de Chine.', 'LOC')]:
    for m in re.finditer(re.escape(word), t[:end]):
        s, e = m.start(), m.end()
        if word == 'le Royaume-Uni et': s, e = s + 3, e - 3
        if word == 'La Chine': s += 3
        if word == 'contre la Chine': s += 10
        if word == 'de Chine.': s, e = s + 3, e - 1
        ents.append({'start': s, 'end': e, 'label': label})
ents.sort(key=lambda e: e['start'])
rows.append({'id': '004_48e08f0d0b571247', 'language': 'fr', 'path': p,
             'sha256': hashlib.sha256((shared / p).read_bytes()).hexdigest(), 'scored_until': end,
             'quotes': q, 'entities': ents})
for r in rows:
    kept = []
    for e in sorted(r['entities'], key=lambda e: e['start'] - e['end']):
        if not any(min(e['end'], k['end']) > max(e['start'], k['start']) for k in kept):
            kept.append(e)
    r['entities'] = sorted(kept, key=lambda e: e['start'])
with open('benchmarks/quotes_gold/examples.jsonl', 'w') as out:
    for r in rows:
        out.write(json.dumps(r, ensure_ascii=False) + '\n')
for r in rows:
    t = (shared / r['path']).read_text()
    for x in r['quotes']: print('Q', repr(t[x['start']:x['end']][:50]), '...', repr(t[x['end']-20:x['end']]))
    print([t[e['start']:e['end']] for e in r['entities']])
