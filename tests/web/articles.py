"""A small corpus written for the web tests: three outlets, two languages, three months.

The texts are the project's own; a hostile one tries to inject markup through every field.
"""

HOSTILE = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">'

ARTICLES = [
    {
        "id": "harbour-1",
        "source": "Harbour Herald",
        "published": "2024-01-12",
        "text": "The council's shameful betrayal of the harbour workers\n\n"
        "Once again the corrupt councillors have sold out the people who built this town. "
        "They lie, they cheat, and they laugh at us behind closed doors.\n\n"
        "Everyone knows the truth: the new port plan is a disaster waiting to happen. "
        "If we let them close the docks today, tomorrow they will close the schools.\n\n"
        "Stand up now, before it is too late! Sign the petition and defend our harbour.\n",
    },
    {
        "id": "harbour-2",
        "source": "Harbour Herald",
        "published": "2024-02-03",
        "text": "Traitors in the town hall\n\n"
        "These incompetent bureaucrats have never done an honest day's work in their lives. "
        "Their so-called experts are nothing but paid puppets of the shipping giants.\n\n"
        "Either we stop the port plan, or our town dies. There is no other way.\n",
    },
    {
        "id": "ledger-1",
        "source": "County Ledger",
        "published": "2024-01-20",
        "text": "Council approves revised port plan by seven votes to four\n\n"
        "The county council approved a revised plan for the harbour on Tuesday evening after a "
        "three-hour debate. The plan keeps two of the five docks open.\n\n"
        "The harbour workers' union said it would study the details before responding. "
        "A public consultation will run until the end of March.\n",
    },
    {
        "id": "ledger-2",
        "source": "County Ledger",
        "published": "2024-03-05",
        "text": "Consultation on harbour plan draws 1,200 responses\n\n"
        "More than 1,200 residents took part in the consultation on the harbour plan, the "
        "council said on Monday. A summary of the responses will be published in April.\n\n"
        "Officials said the budget for the first phase remains unchanged.\n",
    },
    {
        "id": "gazette-1",
        "source": "La Gazette du Port",
        "published": "2024-02-14",
        "language": "fr",
        "text": "Le port sacrifié sur l'autel des économies\n\n"
        "Une fois encore, ces élus déconnectés trahissent les travailleurs du port. "
        "Ils mentent sans vergogne et méprisent ceux qui ont bâti notre ville.\n\n"
        "Si nous laissons fermer les quais aujourd'hui, demain ce sera l'école, puis l'hôpital. "
        "Il est temps d'agir avant qu'il ne soit trop tard !\n",
    },
    {
        "id": "gazette-2",
        "source": "La Gazette du Port",
        "published": "2024-03-22",
        "language": "fr",
        "text": "Le conseil adopte le plan portuaire révisé\n\n"
        "Le conseil départemental a adopté mardi soir le plan révisé pour le port, "
        "après trois heures de débat. Deux des cinq quais resteront ouverts.\n\n"
        "Le syndicat des dockers a indiqué qu'il étudierait le texte avant de réagir.\n",
    },
    {
        "id": "hostile",
        "source": "Evil <b>Outlet</b>",
        "published": "2024-02-20",
        "title": "Title " + HOSTILE,
        "text": "Title " + HOSTILE + "\n\n"
        "These corrupt liars " + HOSTILE + " have betrayed us all, again and again.\n\n"
        'A plain paragraph with "quotes" & ampersands </p></div> and a closing tag.\n',
    },
]
