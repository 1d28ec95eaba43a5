"""The SemEval-2023 Task 3 taxonomy: 23 techniques in 6 groups, 14 frames, 3 genres.

Label strings are the official ones; names and one-sentence definitions (English and French)
are the project's own words.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Label:
    label: str  # the official string
    name: str
    name_fr: str
    definition: str
    definition_fr: str

    def describe(self, language: str = "en") -> tuple[str, str]:
        """(name, definition) in French for ``fr``, English otherwise."""
        if language == "fr":
            return self.name_fr, self.definition_fr
        return self.name, self.definition


@dataclass(frozen=True)
class Group(Label):
    colour: str = "#555555"  # for HTML and charts
    ansi: int = 0  # terminal colour code


@dataclass(frozen=True)
class Technique(Label):
    group: str = ""


def _label(cls, label, name, name_fr, definition, definition_fr, **extra):
    return cls(label, name, name_fr, definition, definition_fr, **extra)


GROUPS: dict[str, Group] = {
    "attack_on_reputation": _label(
        Group,
        "attack_on_reputation",
        "Attack on reputation",
        "Attaque contre la réputation",
        "Techniques that target the person or group behind a position to damage their credibility, instead of engaging with the argument.",
        "Techniques qui visent la personne ou le groupe à l'origine d'une position afin d'entamer sa crédibilité, au lieu de discuter l'argument.",
        colour="#c0392b",
        ansi=31,
    ),
    "justification": _label(
        Group,
        "justification",
        "Justification",
        "Justification",
        "Techniques that support a claim by appealing to authority, popularity, values, identity or fear rather than to evidence.",
        "Techniques qui appuient une affirmation en invoquant l'autorité, la popularité, des valeurs, l'identité ou la peur plutôt que des preuves.",
        colour="#2471a3",
        ansi=34,
    ),
    "simplification": _label(
        Group,
        "simplification",
        "Simplification",
        "Simplification",
        "Techniques that reduce a complex issue to an overly simple cause, consequence or choice.",
        "Techniques qui réduisent une question complexe à une cause, une conséquence ou une alternative excessivement simples.",
        colour="#b9770e",
        ansi=33,
    ),
    "distraction": _label(
        Group,
        "distraction",
        "Distraction",
        "Diversion",
        "Techniques that shift attention away from the actual issue or argument, by distorting it, changing the subject or pointing elsewhere.",
        "Techniques qui détournent l'attention du véritable sujet ou argument, en le déformant, en changeant de sujet ou en pointant ailleurs.",
        colour="#7d3c98",
        ansi=35,
    ),
    "call": _label(
        Group,
        "call",
        "Call",
        "Appel",
        "Techniques that push the reader toward an action or stance through catchy formulas, a sense of urgency or shutting down debate.",
        "Techniques qui poussent le lecteur vers une action ou une position par des formules frappantes, un sentiment d'urgence ou la fermeture du débat.",
        colour="#1e8449",
        ansi=32,
    ),
    "manipulative_wording": _label(
        Group,
        "manipulative_wording",
        "Manipulative wording",
        "Formulation manipulatrice",
        "Techniques that rely on word choice, emphasis, vagueness or repetition rather than reasoning to influence the reader.",
        "Techniques qui misent sur le choix des mots, l'emphase, le flou ou la répétition plutôt que sur le raisonnement pour influencer le lecteur.",
        colour="#a04000",
        ansi=36,
    ),
}

TECHNIQUES: dict[str, Technique] = {
    "Name_Calling-Labeling": _label(
        Technique,
        "Name_Calling-Labeling",
        "Name calling / labeling",
        "Injure et étiquetage",
        "Attaches a loaded label or epithet to a person or group so the reader judges them by that label rather than by evidence.",
        "Accole à une personne ou à un groupe une étiquette chargée, afin que le lecteur le juge sur ce qualificatif plutôt que sur des faits.",
        group="attack_on_reputation",
    ),
    "Guilt_by_Association": _label(
        Technique,
        "Guilt_by_Association",
        "Guilt by association",
        "Culpabilité par association",
        "Discredits a target by linking it to a person, group or idea the reader already views negatively.",
        "Discrédite une cible en la rattachant à une personne, un groupe ou une idée que le lecteur perçoit déjà négativement.",
        group="attack_on_reputation",
    ),
    "Doubt": _label(
        Technique,
        "Doubt",
        "Casting doubt",
        "Mise en doute",
        "Undermines trust in a person or institution by questioning their competence, motives or credibility without substantiating the suspicion.",
        "Sape la confiance envers une personne ou une institution en mettant en cause sa compétence, ses intentions ou sa crédibilité sans étayer le soupçon.",
        group="attack_on_reputation",
    ),
    "Appeal_to_Hypocrisy": _label(
        Technique,
        "Appeal_to_Hypocrisy",
        "Appeal to hypocrisy",
        "Appel à l'hypocrisie",
        "Discredits a target by pointing out that their past words or actions contradict their current position, sidestepping the argument itself.",
        "Discrédite une cible en soulignant que ses paroles ou actes passés contredisent sa position actuelle, sans examiner l'argument lui-même.",
        group="attack_on_reputation",
    ),
    "Questioning_the_Reputation": _label(
        Technique,
        "Questioning_the_Reputation",
        "Questioning the reputation",
        "Mise en cause de la réputation",
        "Attacks the character or moral standing of a target with negative claims, aiming to lower the reader's esteem for it rather than address the issue.",
        "S'en prend au caractère ou à la valeur morale d'une cible par des affirmations négatives, pour dégrader l'estime du lecteur plutôt que traiter le fond.",
        group="attack_on_reputation",
    ),
    "Flag_Waving": _label(
        Technique,
        "Flag_Waving",
        "Flag waving",
        "Appel au drapeau",
        "Justifies a position by invoking pride in or loyalty to a nation, group or identity, implying that disagreeing amounts to betraying it.",
        "Justifie une position en invoquant la fierté ou la loyauté envers une nation, un groupe ou une identité, laissant entendre que s'y opposer revient à le trahir.",
        group="justification",
    ),
    "Appeal_to_Authority": _label(
        Technique,
        "Appeal_to_Authority",
        "Appeal to authority",
        "Argument d'autorité",
        "Presents a claim as true because an authority or expert endorses it, inviting the reader to defer rather than weigh the evidence.",
        "Présente une affirmation comme vraie parce qu'une autorité ou un expert la soutient, incitant le lecteur à s'en remettre à elle plutôt qu'à évaluer les preuves.",
        group="justification",
    ),
    "Appeal_to_Popularity": _label(
        Technique,
        "Appeal_to_Popularity",
        "Appeal to popularity",
        "Appel à la popularité",
        "Argues that a claim is right or a course of action should be followed because many people already believe or do it.",
        "Affirme qu'une idée est juste ou qu'une action doit être suivie parce que beaucoup de gens y croient ou la pratiquent déjà.",
        group="justification",
    ),
    "Appeal_to_Values": _label(
        Technique,
        "Appeal_to_Values",
        "Appeal to values",
        "Appel aux valeurs",
        "Justifies a position by tying it to values the reader is assumed to hold, such as freedom, tradition or fairness, instead of offering evidence.",
        "Justifie une position en la rattachant à des valeurs supposées partagées par le lecteur, comme la liberté, la tradition ou l'équité, au lieu d'apporter des preuves.",
        group="justification",
    ),
    "Appeal_to_Fear-Prejudice": _label(
        Technique,
        "Appeal_to_Fear-Prejudice",
        "Appeal to fear / prejudice",
        "Appel à la peur ou aux préjugés",
        "Promotes or rejects an idea by stoking anxiety, panic or existing prejudice about what would happen otherwise.",
        "Promeut ou rejette une idée en attisant l'inquiétude, la panique ou des préjugés existants quant à ce qui arriverait autrement.",
        group="justification",
    ),
    "Causal_Oversimplification": _label(
        Technique,
        "Causal_Oversimplification",
        "Causal oversimplification",
        "Simplification causale",
        "Attributes a complex outcome to a single cause, ignoring the other factors that contribute to it.",
        "Attribue un phénomène complexe à une cause unique en ignorant les autres facteurs qui y contribuent.",
        group="simplification",
    ),
    "False_Dilemma-No_Choice": _label(
        Technique,
        "False_Dilemma-No_Choice",
        "False dilemma / no choice",
        "Faux dilemme",
        "Presents two options, or just one, as the only possibilities, hiding alternatives to push the reader toward the preferred choice.",
        "Présente deux options, voire une seule, comme les seules possibles, en occultant les autres pour pousser le lecteur vers le choix souhaité.",
        group="simplification",
    ),
    "Consequential_Oversimplification": _label(
        Technique,
        "Consequential_Oversimplification",
        "Consequential oversimplification (slippery slope)",
        "Pente glissante",
        "Claims that a first step will inevitably trigger a chain of increasingly extreme consequences, without showing why each step would follow.",
        "Affirme qu'une première mesure entraînera inévitablement une chaîne de conséquences de plus en plus graves, sans démontrer l'enchaînement.",
        group="simplification",
    ),
    "Straw_Man": _label(
        Technique,
        "Straw_Man",
        "Straw man",
        "Homme de paille",
        "Replaces an opponent's actual position with a distorted, weaker version and then refutes that version instead.",
        "Remplace la position réelle d'un adversaire par une version déformée et plus faible, puis réfute cette caricature à sa place.",
        group="distraction",
    ),
    "Red_Herring": _label(
        Technique,
        "Red_Herring",
        "Red herring",
        "Fausse piste (hareng rouge)",
        "Diverts attention from the issue under discussion by introducing an irrelevant topic that only appears to be related.",
        "Détourne l'attention du sujet débattu en introduisant un thème hors de propos qui semble seulement y être lié.",
        group="distraction",
    ),
    "Whataboutism": _label(
        Technique,
        "Whataboutism",
        "Whataboutism",
        "Whataboutisme",
        "Deflects a criticism by accusing the critic or another party of similar wrongdoing instead of answering it.",
        "Écarte une critique en accusant son auteur ou un tiers de torts comparables, au lieu d'y répondre.",
        group="distraction",
    ),
    "Slogans": _label(
        Technique,
        "Slogans",
        "Slogans",
        "Slogans",
        "Uses a short, catchy phrase that packs a stance into a memorable formula, encouraging agreement without argument.",
        "Recourt à une formule brève et frappante qui condense une prise de position, pour susciter l'adhésion sans argumentation.",
        group="call",
    ),
    "Conversation_Killer": _label(
        Technique,
        "Conversation_Killer",
        "Conversation killer",
        "Clôture du débat",
        "Uses a phrase that shuts down discussion or critical thought, discouraging the reader from questioning the matter further.",
        "Emploie une formule qui met fin à la discussion ou à la réflexion critique, décourageant le lecteur d'approfondir la question.",
        group="call",
    ),
    "Appeal_to_Time": _label(
        Technique,
        "Appeal_to_Time",
        "Appeal to time",
        "Appel à l'urgence",
        "Pressures the reader to act or agree by insisting that the moment has come or that time is running out.",
        "Pousse le lecteur à agir ou à adhérer en insistant sur le fait que le moment est venu ou que le temps presse.",
        group="call",
    ),
    "Loaded_Language": _label(
        Technique,
        "Loaded_Language",
        "Loaded language",
        "Langage chargé",
        "Uses emotionally charged words or phrases to sway the reader's feelings about a subject beyond what the facts support.",
        "Emploie des mots ou expressions à forte connotation émotionnelle pour influencer le ressenti du lecteur au-delà de ce que justifient les faits.",
        group="manipulative_wording",
    ),
    "Obfuscation-Vagueness-Confusion": _label(
        Technique,
        "Obfuscation-Vagueness-Confusion",
        "Obfuscation / vagueness / confusion",
        "Flou, ambiguïté et confusion",
        "Uses deliberately unclear or ambiguous wording so that the reader projects their own interpretation or cannot pin down what is claimed.",
        "Recourt à une formulation volontairement floue ou ambiguë, si bien que le lecteur y projette sa propre interprétation ou ne peut cerner ce qui est affirmé.",
        group="manipulative_wording",
    ),
    "Exaggeration-Minimisation": _label(
        Technique,
        "Exaggeration-Minimisation",
        "Exaggeration / minimisation",
        "Exagération ou minimisation",
        "Portrays something as far larger, better or worse than it is, or dismisses it as trivial, to distort the reader's sense of its importance.",
        "Présente quelque chose comme bien plus important, meilleur ou pire qu'en réalité, ou au contraire le banalise, pour fausser la perception du lecteur.",
        group="manipulative_wording",
    ),
    "Repetition": _label(
        Technique,
        "Repetition",
        "Repetition",
        "Répétition",
        "Repeats the same word, phrase or idea so that it becomes familiar and accepted through insistence rather than evidence.",
        "Répète un même mot, une même formule ou une même idée pour la rendre familière et la faire accepter par insistance plutôt que par des preuves.",
        group="manipulative_wording",
    ),
}

FRAMES: dict[str, Label] = {
    "Economic": _label(
        Label,
        "Economic",
        "Economic",
        "Économie",
        "Presents the issue in terms of costs, benefits, money, jobs or effects on the economy.",
        "Présente la question sous l'angle des coûts, des bénéfices, de l'argent, de l'emploi ou des effets sur l'économie.",
    ),
    "Capacity_and_resources": _label(
        Label,
        "Capacity_and_resources",
        "Capacity and resources",
        "Capacités et ressources",
        "Presents the issue around the availability or shortage of material, human or financial resources and the ability of systems to cope.",
        "Aborde la question sous l'angle de la disponibilité ou du manque de ressources matérielles, humaines ou financières, et de la capacité des systèmes à y faire face.",
    ),
    "Morality": _label(
        Label,
        "Morality",
        "Morality",
        "Morale",
        "Presents the issue as a matter of right and wrong, duty, or ethical and religious principles.",
        "Présente la question comme une affaire de bien et de mal, de devoir ou de principes éthiques et religieux.",
    ),
    "Fairness_and_equality": _label(
        Label,
        "Fairness_and_equality",
        "Fairness and equality",
        "Équité et égalité",
        "Presents the issue in terms of equal or unequal treatment, rights and justice between individuals or groups.",
        "Présente la question sous l'angle de l'égalité ou de l'inégalité de traitement, des droits et de la justice entre individus ou groupes.",
    ),
    "Legality_Constitutionality_and_jurisprudence": _label(
        Label,
        "Legality_Constitutionality_and_jurisprudence",
        "Legality, constitutionality and jurisprudence",
        "Légalité, constitutionnalité et jurisprudence",
        "Presents the issue through laws, constitutional rights, court rulings and the legal limits on what authorities or citizens may do.",
        "Aborde la question à travers les lois, les droits constitutionnels, les décisions de justice et les limites légales imposées aux autorités ou aux citoyens.",
    ),
    "Policy_prescription_and_evaluation": _label(
        Label,
        "Policy_prescription_and_evaluation",
        "Policy prescription and evaluation",
        "Prescription et évaluation des politiques publiques",
        "Presents the issue around specific proposed or existing policies and whether they will work or have worked.",
        "Centre la question sur des mesures précises, proposées ou déjà en place, et sur leur efficacité attendue ou constatée.",
    ),
    "Crime_and_punishment": _label(
        Label,
        "Crime_and_punishment",
        "Crime and punishment",
        "Criminalité et sanction",
        "Presents the issue in terms of law-breaking, law enforcement, prosecution, sentencing and punishment.",
        "Présente la question sous l'angle des infractions, de leur répression, des poursuites, des peines et des sanctions.",
    ),
    "Security_and_defense": _label(
        Label,
        "Security_and_defense",
        "Security and defense",
        "Sécurité et défense",
        "Presents the issue as a threat to a nation, community or people, or as a means of protecting them from danger.",
        "Présente la question comme une menace pour une nation, une communauté ou des personnes, ou comme un moyen de les protéger d'un danger.",
    ),
    "Health_and_safety": _label(
        Label,
        "Health_and_safety",
        "Health and safety",
        "Santé et sécurité",
        "Presents the issue in terms of physical or mental health, disease, access to care and protection from harm or accidents.",
        "Aborde la question sous l'angle de la santé physique ou mentale, des maladies, de l'accès aux soins et de la prévention des accidents et dommages.",
    ),
    "Quality_of_life": _label(
        Label,
        "Quality_of_life",
        "Quality of life",
        "Qualité de vie",
        "Presents the issue through its effects on people's well-being, daily life, opportunities and living conditions.",
        "Présente la question à travers ses effets sur le bien-être, la vie quotidienne, les perspectives et les conditions de vie des personnes.",
    ),
    "Cultural_identity": _label(
        Label,
        "Cultural_identity",
        "Cultural identity",
        "Identité culturelle",
        "Presents the issue in terms of the traditions, customs, values and shared identity of a social, ethnic or national group.",
        "Aborde la question sous l'angle des traditions, des coutumes, des valeurs et de l'identité commune d'un groupe social, ethnique ou national.",
    ),
    "Public_opinion": _label(
        Label,
        "Public_opinion",
        "Public opinion",
        "Opinion publique",
        "Presents the issue through what the public thinks or feels, such as polls, protests, popular support or backlash.",
        "Présente la question à travers ce que pense ou ressent la population, par exemple les sondages, les manifestations, le soutien populaire ou le rejet.",
    ),
    "Political": _label(
        Label,
        "Political",
        "Political",
        "Politique",
        "Presents the issue as part of political competition, involving parties, elections, partisan strategy and struggles for power.",
        "Présente la question comme un enjeu de rivalité politique, impliquant partis, élections, stratégies partisanes et luttes de pouvoir.",
    ),
    "External_regulation_and_reputation": _label(
        Label,
        "External_regulation_and_reputation",
        "External regulation and reputation",
        "Régulation extérieure et réputation",
        "Presents the issue in terms of a country's international standing, its relations with other states and its obligations toward international bodies.",
        "Aborde la question sous l'angle de l'image internationale d'un pays, de ses relations avec d'autres États et de ses obligations envers les organisations internationales.",
    ),
}

GENRES: dict[str, Label] = {
    "opinion": _label(
        Label,
        "opinion",
        "Opinion",
        "Opinion",
        "An article whose main purpose is to argue for a viewpoint or persuade the reader, such as an editorial, column or commentary.",
        "Article dont le but principal est de défendre un point de vue ou de convaincre le lecteur, comme un éditorial, une chronique ou une tribune.",
    ),
    "reporting": _label(
        Label,
        "reporting",
        "Reporting",
        "Information",
        "An article that mainly aims to inform the reader about facts or events, presented as objective news coverage.",
        "Article visant principalement à informer le lecteur de faits ou d'événements, présenté comme un compte rendu d'actualité objectif.",
    ),
    "satire": _label(
        Label,
        "satire",
        "Satire",
        "Satire",
        "An article that uses humour, irony or exaggeration, often imitating real news, to mock or criticise its subject.",
        "Article recourant à l'humour, à l'ironie ou à l'exagération, souvent en imitant l'actualité, pour railler ou critiquer son sujet.",
    ),
}

#: Label lists in the official order of the task's label files.
TECHNIQUE_LABELS: tuple[str, ...] = tuple(TECHNIQUES)
FRAME_LABELS: tuple[str, ...] = tuple(FRAMES)
GENRE_LABELS: tuple[str, ...] = tuple(GENRES)


def labels_of(task: str) -> tuple[str, ...]:
    """The official label list of a task: ``genre``, ``frames`` or ``techniques``."""
    try:
        return {"genre": GENRE_LABELS, "frames": FRAME_LABELS, "techniques": TECHNIQUE_LABELS}[task]
    except KeyError:
        raise ValueError(f"unknown task {task!r}") from None


def group_of(technique: str) -> Group:
    return GROUPS[TECHNIQUES[technique].group]
