"""Countries, regions and cities that news in the nine languages names most, in each language's
usual spellings (nominative; case endings are matched by :func:`.names.same_word`)."""

from __future__ import annotations

from .speech_lexicon import word_set

PLACES = word_set(
    """
Russia Russie Russland Russia Rosja Rosji Россия России Rusia Ρωσία რუსეთი
Ukraine Ukraine Ukraina Ucraina Ukrainy Украина Украины Ucrania Ουκρανία უკრაინა
China Chine Cina Chiny Китай Китая Κίνα ჩინეთი
Britain Grande-Bretagne Großbritannien Gran Bretagna Wielka Brytania Британия Royaume-Uni
England Angleterre Inghilterra Anglia Англия Inglaterra UK
America Amérique Amerika Ameryka Америка América Αμερική USA US États-Unis Etats-Unis
Vereinigte Staaten Stati Uniti Stany Zjednoczone США Estados Unidos ΗΠΑ აშშ
France Frankreich Francia Francja Франция Γαλλία საფრანგეთი
Germany Allemagne Deutschland Germania Niemcy Niemiec Германия Alemania Γερμανία გერმანია
Italy Italie Italien Italia Włochy Италия Ιταλία
Poland Pologne Polen Polonia Polska Polski Польша Πολωνία
Spain Espagne Spanien Spagna Hiszpania Испания España Ισπανία
Greece Grèce Griechenland Grecia Grecja Греция Ελλάδα
Georgia Géorgie Georgien Gruzja Грузия Γεωργία საქართველო
Iran Irán Иран Ιράν Israel Israël Izrael Израиль Ισραήλ Gaza Syria Syrie Syrien Siria Syria
Сирия Turkey Turquie Türkei Turchia Turcja Турция Turquía Τουρκία Belarus Biélorussie Białoruś
Беларусь Hungary Hongrie Ungarn Ungheria Węgry Венгрия Hungría Taiwan Taïwan Tajwan Тайвань
Japan Japon Giappone Japonia Япония Japón India Inde Indien Indie Индия Korea Corée Korea Corea
Корея Canada Kanada Канада Australia Australie Australien Австралия Europe Europa Европа Ευρώπη
Africa Afrique Afrika Afryka Африка Mali Niger Niger Serbia Serbie Serbien Сербия Kosovo Moldova
Moldavie Молдавия Lithuania Litwa Литва Latvia Łotwa Латвия Estonia Estonie Эстония Finland
Finlande Finnland Finlandia Финляндия Sweden Suède Schweden Svezia Szwecja Швеция Suecia
Crimea Crimée Krim Crimea Krym Крым Donbas Donbass Донбасс Xinjiang Hong Kong Tibet
Moscow Moscou Moskau Mosca Moskwa Москва Moscú Μόσχα მოსკოვი
Kyiv Kiev Kiew Kijów Киев Kíev Κίεβο Beijing Pékin Peking Pechino Pekin Пекин Pekín
Washington Вашингтон Waszyngton London Londres Londra Londyn Лондон Paris Parigi Paryż Париж
París Berlin Berlino Berlín Берлин Rome Rom Roma Rzym Рим Warsaw Varsovie Warschau Varsavia
Warszawa Варшава Varsovia Brussels Bruxelles Brüssel Bruxelles Bruksela Брюссель Bruselas
Madrid Athens Athènes Athen Atene Ateny Афины Atenas Αθήνα Tbilisi Тбилиси თბილისი Minsk Минск
Budapest Будапешт Shanghai Шанхай Tehran Téhéran Teheran Тегеран Jerusalem Jérusalem
Gerusalemme Jerozolima Иерусалим Brexit Donetsk Донецк Kharkiv Харьков Odesa Odessa
Одесса Mariupol Мариуполь Bakhmut Бахмут Venezuela Cuba Mexico Mexique Brasil Brazil Brésil
Lombardia Lombardie Sicilia Bavaria Bayern Normandie Bretagne Catalonia Catalogne Cataluña
"""
)
