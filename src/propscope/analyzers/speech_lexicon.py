"""Words that introduce speech and name speakers, in the nine languages of propscope.

Lower-case word forms, matched token by token (no stemming: news prose uses few forms).
Used by the quotes analyzer (cues, speakers) and the entities analyzer (titles, roles).
"""

from __future__ import annotations


def word_set(text: str) -> frozenset[str]:
    """The words of ``text``, split on white space."""
    return frozenset(text.split())


#: Reporting verbs and nouns, all languages together (the forms rarely clash across languages).
VERBS = word_set(
    # en
    "said says say told tells added adds stated states declared declares noted notes stressed"
    " stresses explained explains argued argues claimed claims insisted insists warned warns"
    " wrote writes asked asks replied replies commented continued concluded announced admitted"
    " emphasised emphasized underlined tweeted posted urged recalled suggested confirmed denied"
    " remarked observed alleged maintained acknowledged believes thinks accused called"
    " described blamed responded countered reiterated vowed pledged predicted promised reported"
    # fr
    " déclaré déclare dit affirmé affirme ajouté ajoute souligné souligne noté note expliqué"
    " explique estimé estime indiqué indique précisé précise martelé martèle insisté insiste"
    " assuré assure rappelé rappelle poursuivi poursuit conclu conclut lancé lance averti"
    " prévenu déploré déplore dénoncé dénonce écrit écrivait répondu répond confié confie"
    " répété répète reconnu reconnaît annoncé annonce accusé accuse qualifié qualifie jugé"
    " juge commenté commente observé observe tweeté réagi réagit parlé parle déclarait disait"
    " affirmait ajoutait soulignait estimait expliquait assurait regretté regrette fustigé"
    " résume résumé justifié justifie confiait raconte raconté témoigne témoigné"
    " fustige dénonçait prévient avertit plaidé plaide"
    # de
    " sagte sagt sagten erklärte erklärt erklärten betonte betont meinte meint warnte warnt"
    " kritisierte kritisiert forderte fordert schrieb schreibt ergänzte ergänzt unterstrich"
    " behauptete behauptet argumentierte bekräftigte versicherte verkündete erläuterte"
    " erläutert sprach spricht bezeichnete bezeichnet fügte hinzufügte mahnte mahnt räumte"
    " kommentierte bemerkte antwortete teilte hieß berichtet berichtete berichten"
    # it
    " detto dice dicono dichiarato dichiara affermato afferma aggiunto aggiunge sottolineato"
    " sottolinea spiegato spiega ribadito ribadisce commentato commenta scritto scrive"
    " osservato osserva precisato precisa concluso conclude avvertito avverte denunciato"
    " denuncia annunciato annuncia replicato replica risposto risponde insistito insiste"
    " evidenziato evidenzia assicurato assicura accusato accusa definito definisce parlato"
    " dichiarava diceva ammesso ammette attaccato attacca racconta raccontato sostiene"
    " sostenuto"
    # pl
    " powiedział powiedziała powiedzieli mówi mówił mówiła mówią stwierdził stwierdziła"
    " stwierdza dodał dodała dodaje podkreślił podkreśliła podkreśla zaznaczył zaznaczyła"
    " zaznacza oświadczył oświadczyła przekonywał przekonywała przekonuje ocenił oceniła"
    " ocenia napisał napisała pisze zauważył zauważyła wyjaśnił wyjaśniła ostrzegł ostrzegła"
    " ostrzega zapewnił zapewniła zapewnia przyznał przyznała argumentował twierdzi twierdził"
    " twierdziła poinformował poinformowała zapowiedział zapowiedziała podsumował"
    " skomentował skomentowała uważa mówiąc apelował zaapelował odpowiedział odpowiedziała"
    # ru
    " сказал сказала сказали заявил заявила заявили заявляет отметил отметила отметили"
    " подчеркнул подчеркнула подчеркнули добавил добавила добавили пояснил пояснила сообщил"
    " сообщила сообщили считает считают написал написала пишет говорит говорил говорила"
    " признал признала указал указала назвал назвала предупредил предупредила заверил"
    " заверила рассказал рассказала констатировал резюмировал уточнил уточнила ответил"
    " ответила призвал призвала утверждает утверждал заметил заметила"
    # es
    " dijo dice dicen afirmó afirma declaró declara señaló señala añadió añade agregó agrega"
    " explicó explica aseguró asegura subrayó subraya destacó destaca indicó indica advirtió"
    " advierte sostuvo sostiene manifestó expresó escribió escribe insistió insiste apuntó"
    " recalcó denunció denuncia criticó critica respondió responde comentó comenta aseveró"
    # el
    " δήλωσε δηλώνει είπε λέει τόνισε τονίζει πρόσθεσε προσθέτει ανέφερε αναφέρει σημείωσε"
    " σημειώνει υπογράμμισε εξήγησε υποστήριξε υποστηρίζει έγραψε γράφει προειδοποίησε"
    " ανακοίνωσε ισχυρίστηκε απάντησε"
    # ka
    " განაცხადა თქვა აღნიშნა დასძინა განმარტა მიაჩნია წერს დაწერა ამბობს აცხადებს"
    " აღნიშნავს უპასუხა"
)

#: Verbs that report speech only when followed by a complementiser or a quote, never alone
#: after a quote (too often they mean something else).
WEAK_VERBS = word_set("note called juge parle accuse described teilte räumte hieß")

#: English verbs that report speech without "that" ("Wang said Beijing would ...").
BARE_VERBS = word_set(
    "said says believes believe thinks think claimed claims argued argues warned insisted added"
    " stressed noted"
)

#: Words that may stand between an auxiliary and the verb, or between the verb and "that".
AUXILIARIES = word_set(
    "has have had is was will would a ont avait avaient aurait est hat haben hatte hatten"
    " ha hanno aveva è ha habían había ha han έχει είχε был была"
)
ADVERBS = word_set(
    "also then again later further earlier repeatedly also aussi encore ensuite également"
    " notamment déjà auch zudem außerdem noch anche poi inoltre ancora także również też"
    " ponadto także ещё также тоже además también επίσης"
)

#: Coordinators joining two verbs of one subject ("X said ... and promised that"); a speaker
#: phrase never ends with one.
COORDINATORS = word_set(
    "and or but nor et ou mais ni und oder aber sowie e o ma oppure i oraz lub albo ale y pero"
    " и или но και ή αλλά და ან"
)

#: Complementisers that open reported speech.
THAT = word_set("that que qu dass daß che że что чтобы ότι πως რომ")

#: Markers placed before the speaker: "according to X, ...".
ACCORDING_TO = (
    "according to",
    "selon",
    "d'après",
    "d’après",
    "laut",
    "nach angaben von",
    "nach angaben des",
    "nach angaben der",
    "secondo",
    "a detta di",
    "według",
    "zdaniem",
    "по словам",
    "по мнению",
    "по данным",
    "según",
    "de acuerdo con",
    "σύμφωνα με",
)
#: Markers placed after the speaker: "dem Minister zufolge", "X-ის თქმით".
ACCORDING_TO_AFTER = ("zufolge", "-ის თქმით", "-ის განცხადებით", "-ის აზრით", "ის თქმით")
#: "as X said", which also introduces speech before the speaker.
AS_SAID = (
    "как заявил",
    "как заявила",
    "как сказал",
    "как сказала",
    "как отметил",
    "как заявили в",
    "как сообщили в",
    "как отметили в",
    "как отметила",
    "как подчеркнул",
    "как подчеркнула",
    "jak powiedział",
    "jak powiedziała",
    "jak podkreślił",
    "jak podkreśliła",
    "jak zaznaczył",
    "jak zaznaczyła",
    "como dijo",
    "como afirmó",
    "como señaló",
    "όπως δήλωσε",
    "όπως είπε",
    "όπως τόνισε",
    "come ha detto",
    "come ha dichiarato",
    "wie er sagte",
    "wie sie sagte",
    "as he said",
    "as she said",
    "comme l'a dit",
    "comme l’a dit",
)

#: Third-person subject pronouns (and French inverted ones) that stand for a speaker.
PRONOUNS = word_set(
    "he she they him her il elle ils elles lui er sie lei loro egli ella on ona oni они он она"
    " él ella ellos ellas αυτός αυτή αυτοί ის"
)
#: Possessive "according to him/her" forms: "selon lui", "à ses yeux", "по его словам".
PRONOUN_ACCORDING = (
    "selon lui",
    "selon elle",
    "pour lui",
    "pour elle",
    "à ses yeux",
    "a ses yeux",
    "d'après lui",
    "d’après elle",
    "ihm zufolge",
    "ihr zufolge",
    "secondo lui",
    "secondo lei",
    "według niego",
    "według niej",
    "jego zdaniem",
    "jej zdaniem",
    "по его словам",
    "по ее словам",
    "по её словам",
    "по его мнению",
    "по ее мнению",
    "según él",
    "según ella",
    "in his view",
    "in her view",
    "according to him",
    "according to her",
)

#: Role nouns: a speaker named by what they are ("the spokesman", "le porte-parole").
ROLES = word_set(
    "spokesman spokeswoman spokesperson minister president official officials diplomat"
    " ambassador chancellor secretary chief head leader representative senator lawmaker analyst"
    " expert professor director author governor mayor envoy premier commander general"
    " economist pontiff pope scientist researcher doctor"
    " porte-parole diplomate ministre président présidente représentant représentante"
    " ambassadeur ambassadrice chef dirigeant dirigeante responsable député députée sénateur"
    " chancelier chancelière expert experte analyste auteur secrétaire conseiller conseillère"
    " maire directeur directrice"
    " sprecher sprecherin minister ministerin kanzler kanzlerin präsident präsidentin diplomat"
    " botschafter botschafterin chef chefin vorsitzende vorsitzender abgeordnete abgeordneter"
    " experte experte politiker politikerin bürgermeister regierungssprecher"
    " portavoce ministro ministra presidente premier diplomatico ambasciatore leader"
    " segretario esperto sindaco direttore"
    " rzecznik rzeczniczka minister premier prezydent szef szefowa dyplomata ambasador poseł"
    " posłanka ekspert polityk burmistrz dyrektor"
    " представитель представительница министр президент премьер пресс-секретарь дипломат"
    " посол глава спикер эксперт политик депутат директор мэр"
    " portavoz ministro ministra presidente presidenta diplomático embajador jefe líder"
    " experto alcalde director"
    " εκπρόσωπος υπουργός πρόεδρος πρωθυπουργός πρέσβης διπλωμάτης"
)

#: Determiners dropped from the front of a speaker or entity phrase.
DETERMINERS = word_set(
    "the a an this le la les l un une ce cette der die das den dem des ein eine einer eines"
    " einem il lo i gli uno una el los las ο η το τον την του της οι"
)
#: Indefinite determiners: "a spokesman" introduces someone new, it does not point back.
INDEFINITE = word_set("a an un une ein eine einer einem uno una")

#: Titles and function words that come before a name and are not part of it.
TITLES = word_set(
    "mr mrs ms miss dr prof sir m mme mlle me herr frau signor signora sig sig.ra pan pani"
    " panu г-н г-жа господин госпожа sr sra don doña κ κα president prime minister foreign"
    " defence defense interior finance deputy vice chancellor secretary state spokesman"
    " spokeswoman general senator governor mayor ambassador chief former ex chairman premier"
    " président présidente ministre premier chancelier porte-parole général sénateur"
    " präsident präsidentin kanzler kanzlerin ministerin außenminister bundeskanzler"
    " presidente ministro ministra premier segretario"
    " prezydent premier minister rzecznik marszałek"
    " президент премьер министр глава пресс-секретарь"
    " presidente ministra portavoz"
    " πρόεδρος υπουργός πρωθυπουργός"
    " pope pape papa"
)

#: Words after which a capitalised word is a complement, not the speaker ("the Ministry of
#: Foreign Affairs", "du ministère des Affaires étrangères").
OF_WORDS = word_set(
    "of du des de d au aux von vom des zur zum für di del della dello dei degli delle da"
    " dal dalla z ze w we do dla из в во для del de la los las της του των"
)

#: Words that end a speaker phrase: when, where and how it was said.
SPEAKER_STOPS = word_set(
    "on at in during after before while when told to lors mardi lundi mercredi jeudi vendredi"
    " samedi dimanche dans devant pendant après avant en à am bei in im während nach vor gegenüber"
    " durante nel nella al alla dopo prima in podczas w we po przed na dla в во на после перед"
    " при во время durante en tras ante el en στη στο κατά μετά σε"
    " monday tuesday wednesday thursday friday saturday sunday yesterday today"
    " montag dienstag mittwoch donnerstag freitag samstag sonntag gestern heute"
    " lunedì martedì mercoledì giovedì venerdì sabato domenica ieri oggi"
    " poniedziałek wtorek środę czwartek piątek sobotę niedzielę wczoraj"
    " понедельник вторник среду четверг пятницу субботу воскресенье вчера"
    " lunes martes miércoles jueves viernes sábado domingo ayer hoy"
    " who qui der die welcher che który która который которая que quien"
    " and et und e i и y και"
    " me m nous mir uns mi ci mnie nam мне нам us"
)

#: Words that look capitalised in speaker phrases but are places or bodies, not people.
NON_PERSON = word_set(
    "ministry ministère ministerium ministero ministerstwo министерство ministerio υπουργείο"
    " government gouvernement regierung governo rząd правительство gobierno κυβέρνηση"
    " office bureau amt ufficio urząd офис kremlin kreml cremlino кремль kremlin"
    " foreign affairs affaires étrangères auswärtiges commission commissione komisja комиссия"
    " house maison white blanche party parti partei partito partia партия partido"
    " union unia союз unión council conseil rat consiglio rada совет consejo"
    " nato otan onu un eu ue usa"
)

#: First and second persons: the author or the reader, never a quoted speaker.
FIRST_PERSONS = word_set(
    "i we you je nous vous on ich wir ihr io noi voi ja my wy я мы вы yo nosotros"
)

#: Sentence-level connectives that may come before "according to X".
LEADING = word_set(
    "but and yet however mais et or aber und doch ma e però ale a но и а pero y αλλά"
)
