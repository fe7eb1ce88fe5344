"""/who-coordinates, /themes, /theme, /set-coordinator, /set-focal-point as a user sees them."""

from __future__ import annotations

import asyncio

from bot import directory
from storage import people, themes
from tests.conftest import CHAIR


async def test_exact_name_any_case_and_punctuation(ask):
    for text in (
        "/who-coordinates accessibility",
        "/who-coordinates ACCESSIBILITY!",
        '/who-coordinates "Accessibility"',
    ):
        reply = await ask(text)
        assert not reply.error, reply.text
        assert reply.text.startswith("Accessibility: who coordinates")


async def test_alias_and_abbreviation(ask):
    reply = await ask("/who-coordinates AI")
    assert reply.text.startswith("Artificial Intelligence: who coordinates")
    assert "another name for Artificial Intelligence" in reply.text
    assert (await ask("/who-coordinates a11y")).text.startswith("Accessibility")
    assert (await ask("/who-coordinates EMF")).text.startswith("Electromagnetic fields")
    for part in ("EMF", "IoT", "cybersecurity", "SMEs"):  # a part of the name says it
        assert "another name" not in (await ask(f"/who-coordinates {part}")).text, part
    assert (
        "(cyber security is another name for Cybersecurity/"
        in (await ask("/who-coordinates cyber security")).text
    )


async def test_a_theme_named_in_another_un_language_answers_and_says_how_it_was_read(ask):
    for query, theme, language in (
        ("accesibilidad", "Accessibility", "Spanish"),
        ("accessibilité", "Accessibility", "French"),
        ("Accessibilite", "Accessibility", "French"),
        ("changement climatique", "Climate change", "French"),
        ("cambio climático", "Climate change", "Spanish"),
        ("cambio climatico", "Climate change", "Spanish"),
        ("égalité des genres", "Gender", "French"),
        ("无障碍", "Accessibility", "Chinese"),
        ("доступность", "Accessibility", "Russian"),
        ("الامن السيبراني", "Cybersecurity/building confidence and security in ICTs", "Arabic"),
    ):
        reply = await ask(f"/who-coordinates {query}")
        assert reply.text.startswith(f"{theme}: who coordinates"), (query, reply.text)
        assert f"(Read as {theme}: " in reply.text and f"is its name in {language}.)" in (
            reply.text
        ), reply.text
        assert "A guess" not in reply.text
    for question in ("¿quién coordina accesibilidad?", "qui coordonne l'accessibilité ?"):
        reply = await ask(question)
        assert reply.text.startswith("Accessibility: who coordinates"), reply.text
    shown = await ask("/theme 无障碍")
    assert "In the other UN languages: French: accessibilité" in shown.text, shown.text
    assert "无障碍" not in shown.text.split("Also called:")[1].split("\n")[0]
    assert "Accessibility" in (await ask("/themes accesibilidad")).text


async def test_a_theme_named_in_russian_is_found_in_any_case_after_any_verb(ask):
    # Russian declines the name after the verb or preposition: each of these asks for
    # the theme by its Russian name, which the answer says it read, not as a guess.
    for question, theme, name in (
        ("кто координирует доступность", "Accessibility", "доступность"),
        ("кто координирует доступности", "Accessibility", "доступность"),
        ("кто координирует по доступности", "Accessibility", "доступность"),
        ("Кто координирует вопросы доступности?", "Accessibility", "доступность"),
        ("кто занимается доступностью?", "Accessibility", "доступность"),
        ("кто координатор по искусственному интеллекту", "Artificial Intelligence", "искусств"),
        ("кто является координатором темы изменения климата", "Climate change", "изменение"),
        ("/who-coordinates по изменению климата", "Climate change", "изменение климата"),
        ("/who-coordinates гендерного равенства", "Gender", "гендерное равенство"),
        ("кто курирует кибербезопасность", "Cybersecurity/building", "кибербезопасность"),
    ):
        reply = await ask(question)
        assert reply.text.startswith(theme), (question, reply.text)
        assert f"(Read as {theme}" in reply.text and f": {name}" in reply.text, reply.text
        assert "is its name in Russian.)" in reply.text and "A guess" not in reply.text


async def test_a_theme_named_in_arabic_with_or_without_its_articles_is_its_name(ask):
    # "ذكاء اصطناعي" (no article) or "بالذكاء الاصطناعي" (a preposition fused to it) was
    # answered as a guess, or not at all.
    for question, theme, name in (
        ("/who-coordinates ذكاء اصطناعي", "Artificial Intelligence", "الذكاء الاصطناعي"),
        ("من ينسق ذكاء اصطناعي", "Artificial Intelligence", "الذكاء الاصطناعي"),
        ("/who-coordinates تغير مناخ", "Climate change", "تغير المناخ"),
        ("/who-coordinates بالذكاء الاصطناعي", "Artificial Intelligence", "الذكاء الاصطناعي"),
        ("/who-coordinates أمن سيبراني", "Cybersecurity/building", "الأمن السيبراني"),
    ):
        reply = await ask(question)
        assert reply.text.startswith(theme), (question, reply.text)
        assert f": {name} is its name in Arabic.)" in reply.text, reply.text
        assert "A guess" not in reply.text


async def test_themes_filtered_by_another_form_of_a_name_lists_that_theme(ask):
    # "/themes доступности" answered "I know no theme called" and offered the theme.
    for text, theme in (
        ("/themes доступности", "Accessibility"),
        ("/themes по изменению климата", "Climate change"),
        ("/themes ذكاء اصطناعي", "Artificial Intelligence"),
    ):
        reply = await ask(text)
        assert not reply.error and reply.text.startswith("Themes matching"), reply.text
        assert f"• {theme}" in reply.text, reply.text
    reply = await ask("/themes accesibility")  # a typo is offered, not listed as a match
    assert reply.error and "Did you mean Accessibility?" in reply.text


async def test_a_chinese_theme_with_the_words_after_it_is_the_theme(ask):
    # Chinese puts "work", "area" or "its coordinator" after the name: "无障碍工作" was
    # "I know no theme", offering 无障碍.
    for question in ("谁负责无障碍工作", "/who-coordinates 无障碍的协调人", "谁协调无障碍方面"):
        reply = await ask(question)
        assert reply.text.startswith("Accessibility: who coordinates"), (question, reply.text)
        assert "(Read as Accessibility: 无障碍 is its name in Chinese.)" in reply.text


async def test_a_theme_named_in_traditional_chinese_is_the_simplified_ones(ask):
    # Many Chinese speakers write traditional characters, some with a regional
    # variant word where the knowledge base has another (人工智慧 for 人工智能).
    for query, theme in (
        ("無障礙", "Accessibility"),
        ("人工智慧", "Artificial Intelligence"),
        ("網路安全", "Cybersecurity/building"),  # the variant 網路 for 网络
        ("氣候變化", "Climate change"),
        ("網絡安全", "Cybersecurity/building"),
    ):
        reply = await ask(f"/who-coordinates {query}")
        assert not reply.error and reply.text.startswith(theme), (query, reply.text)
        assert "is its name in Chinese" in reply.text and "A guess" not in reply.text
    reply = await ask("/who-coordinates 電子廢物")  # a sub-topic: e-waste
    assert "e-waste is a sub-topic of Climate change" in reply.text and "A guess" not in reply.text
    for question, theme in (
        ("誰負責無障礙？", "Accessibility"),
        ("誰是人工智慧的協調人？", "Artificial Intelligence"),
        ("誰協調網路安全？", "Cybersecurity/building confidence and security in ICTs"),
        ("谁负责智慧可持续城市？", "Environment and Smart Sustainable Cities"),  # simplified
    ):
        reply = await ask(question)
        assert reply.text.startswith(f"{theme}: who coordinates"), (question, reply.text)
    assert "Accessibility" in (await ask("/themes 無障礙")).text
    assert (
        "• Cybersecurity/building" in (await ask("/themes 網路")).text
    )  # the variant 網路 for 网络
    assert "• Artificial Intelligence" in (await ask("/themes 人工智慧")).text


async def test_arabic_letters_typed_one_for_another_name_the_same_theme(ask):
    for query in (
        "امکانیة النفاذ",  # a Persian keyboard's ک and ی
        "امكانيه النفاذ",  # ه for ة
        "إمكانيـة النفاذ",  # a tatweel
    ):
        reply = await ask(f"/who-coordinates {query}")
        assert reply.text.startswith("Accessibility: who coordinates"), (query, reply.text)
        assert "is its name in Arabic" in reply.text and "A guess" not in reply.text


async def test_who_coordinates_asked_as_delegates_ask_it_in_their_languages(ask):
    for question, theme in (
        ("qui coordonne l’accessibilité ?", "Accessibility"),  # a phone's apostrophe
        ("Qui est le coordonnateur de l'accessibilité ?", "Accessibility"),
        ("qui est la coordonnatrice pour le changement climatique ?", "Climate change"),
        ("Qui sont les points focaux pour la cybersécurité ?", "Cybersecurity/building"),
        ("qui s'occupe de l'égalité des genres ?", "Gender"),
        # The focal point, of a Sector or not, as the English "the ITU-T focal point for".
        ("Qui est le point focal de l'UIT-T pour l'accessibilité ?", "Accessibility"),
        ("qui est le point focal du Secrétariat général pour le genre ?", "Gender"),
        ("¿Quién es el punto focal para la accesibilidad?", "Accessibility"),
        ("¿Quién es el punto focal del UIT-D para el cambio climático?", "Climate change"),
        ("¿Quién es el coordinador de accesibilidad?", "Accessibility"),
        ("¿Quiénes son los puntos focales del cambio climático?", "Climate change"),
        ("Кто координирует доступность?", "Accessibility"),
        ("кто отвечает за изменение климата?", "Climate change"),
        ("谁是无障碍的协调人？", "Accessibility"),
        ("气候变化的联络人是谁？", "Climate change"),
        ("من هو منسق إمكانية النفاذ؟", "Accessibility"),
        # "the theme of" a subject, the subject inflected after it: read as a guess.
        ("Кто координирует тему искусственного интеллекта?", "Artificial Intelligence"),
        ("qui coordonne le thème de l'accessibilité ?", "Accessibility"),
        ("¿quién coordina el tema del cambio climático?", "Climate change"),
    ):
        reply = await ask(question)
        assert reply.text.startswith(theme), (question, reply.text)
        assert "who coordinates" in reply.text.split("\n")[0], (question, reply.text)


async def test_a_name_with_another_of_its_names_in_brackets_is_that_theme(ask):
    for query, theme in (
        ("Artificial Intelligence (AI)", "Artificial Intelligence"),
        ("AI (artificial intelligence)", "Artificial Intelligence"),
        ("Accessibility (pilot trial)", "Accessibility"),
        ("e-waste (Climate change)", "Climate change"),
    ):
        reply = await ask(f"/who-coordinates {query}")
        assert reply.text.startswith(f"{theme}: who coordinates"), (query, reply.text)
    reply = await ask("/who-coordinates Accessibility (AI)")  # two themes: which?
    assert reply.error and "The closest are: Accessibility, AI (Artificial Intelligence)" in (
        reply.text
    )


async def test_typo_resolves_and_says_how_it_was_read(ask):
    reply = await ask("/who-coordinates accesibility")
    assert reply.text.startswith("Accessibility: who coordinates")
    assert (
        '(A guess: I know no theme "accesibility" and read it as Accessibility. '
        "If you meant another, type /themes.)" in reply.text
    )


async def test_a_guess_names_the_theme_it_answers_for_and_a_misspelt_subtopic_is_a_guess_too(ask):
    reply = await ask("/who-coordinates gendre equality")
    assert "read it as gender equality (Gender)." in reply.text, reply.text
    reply = await ask("/who-coordinates enviroment")
    assert 'A guess: I know no theme "enviroment" and read it as Environment (Climate change)' in (
        reply.text
    )
    reply = await ask("/theme enviroment")
    assert "A guess:" in reply.text and "Environment is a sub-topic of Climate change" in reply.text


async def test_a_typo_misspells_the_words_typed_never_swaps_one(ask):
    reply = await ask("/who-coordinates water management")
    assert reply.error and 'I know no theme called "water management"' in reply.text
    assert "A guess" not in reply.text
    reply = await ask("/who-coordinates gendre equality")
    assert reply.text.startswith("Gender: who coordinates"), reply.text
    assert (await ask("/theme strategic planning")).text.startswith("Strategic plan")


async def test_the_words_around_a_theme_in_a_sentence_are_not_its_name(ask):
    for question, theme in (
        ("who coordinates the accessibility theme?", "Accessibility"),
        ("Who coordinates the climate change theme?", "Climate change"),
        ("/who-coordinates the AI", "Artificial Intelligence"),
        ("who coordinates the theme of accessibility?", "Accessibility"),
        ("/who-coordinates the topic of climate change", "Climate change"),
        # A French or Spanish name comes with its article, as "the" comes in English.
        ("/who-coordinates l'accessibilité", "Accessibility"),
        ("/who-coordinates L’accessibilité", "Accessibility"),
        ("/who-coordinates le changement climatique", "Climate change"),
        ("/who-coordinates les réseaux communautaires", "Community Networks"),
        ("/who-coordinates la accesibilidad", "Accessibility"),
        ("/who-coordinates el cambio climático", "Climate change"),
        ("/who-coordinates las redes comunitarias", "Community Networks"),
        # A request ends politely, in mail above all, as a question does.
        ("/who-coordinates AI, please", "Artificial Intelligence"),
        ("/who-coordinates accessibility please!", "Accessibility"),
        ("/who-coordinates l'accessibilité, s'il vous plaît", "Accessibility"),
        ("/who-coordinates cambio climático, por favor", "Climate change"),
        ("/who-coordinates доступность, пожалуйста", "Accessibility"),
        ("/who-coordinates 无障碍，谢谢", "Accessibility"),
        # "the theme" in Chinese after the name, in Arabic before it.
        ("谁负责无障碍主题？", "Accessibility"),
        ("/who-coordinates 人工智能专题", "Artificial Intelligence"),
        ("من هو منسق موضوع إمكانية النفاذ؟", "Accessibility"),
        ("/who-coordinates موضوع الذكاء الاصطناعي", "Artificial Intelligence"),
    ):
        reply = await ask(question)
        assert reply.text.startswith(f"{theme}: who coordinates"), (question, reply.text)
        assert "A guess" not in reply.text


async def test_who_is_responsible_for_a_theme_in_each_un_language(ask):
    # English asked "who is responsible for" / "in charge of"; the other languages could
    # not place the same question.
    for question, theme in (
        ("qui est responsable de l'accessibilité ?", "Accessibility"),
        ("qui est en charge du changement climatique", "Climate change"),
        ("quién es responsable de la accesibilidad", "Accessibility"),
        ("¿quién está a cargo del cambio climático?", "Climate change"),
        ("من المسؤول عن إمكانية النفاذ؟", "Accessibility"),
        ("من هو المسؤول عن تغير المناخ", "Climate change"),
        ("谁是无障碍的负责人", "Accessibility"),
        ("кто ответственный за доступность", "Accessibility"),
    ):
        reply = await ask(question)
        assert reply.text.startswith(f"{theme}: who coordinates"), (question, reply.text)


async def test_a_question_naming_a_sector_or_asking_for_a_contact_answers_for_the_theme(ask):
    for question, theme in (
        ("who is the focal point for accessibility in ITU-T?", "Accessibility"),
        ("who is the ITU-T focal point for accessibility?", "Accessibility"),
        ("who coordinates the climate change theme in the ITU-D Sector?", "Climate change"),
        ("/who-coordinates gender at TSB", "Gender"),
        # The Sector after the theme, as /set-focal-point takes it: with a | or without.
        ("/who-coordinates AI | ITU-T", "Artificial Intelligence"),
        ("/who-coordinates accessibility ITU-D", "Accessibility"),
        ("/who-coordinates accessibilité, UIT-R", "Accessibility"),
        # ...and before it, as ITU people write "ITU-T accessibility" or "UIT-D e-waste".
        ("/who-coordinates ITU-T accessibility", "Accessibility"),
        ("/who-coordinates UIT-D e-waste", "Climate change"),
        ("who coordinates ITU-R AI?", "Artificial Intelligence"),
        # ...and in the members' languages: "à l'UIT-T", "en el UIT-D", "في قطاع ...".
        ("qui coordonne l'IA à l'UIT-T ?", "Artificial Intelligence"),
        ("qui est le point focal de l'accessibilité au UIT-R", "Accessibility"),
        ("¿Quién coordina la accesibilidad en el UIT-D?", "Accessibility"),
        ("من ينسق الذكاء الاصطناعي في قطاع تقييس الاتصالات", "Artificial Intelligence"),
        ("谁负责ITU-T的无障碍", "Accessibility"),
        ("who do I contact about EMF?", "Electromagnetic fields (EMF)"),
        ("who is the contact person for child online protection?", "Child Online Protection"),
    ):
        reply = await ask(question)
        assert reply.text.startswith(f"{theme}: who coordinates"), (question, reply.text)
        assert "A guess" not in reply.text


async def test_a_number_is_never_read_as_another_number(ask):
    for query in (
        "Resolution 191",
        "Resolution 5",
        "Resolution 11",
        "Resolution 45",
        "Decision 48",
    ):
        reply = await ask(f"/who-coordinates {query}")
        assert reply.error, reply.text
        assert f'I know no theme called "{query}"' in reply.text
        assert "A guess" not in reply.text
    reply = await ask("/theme Resolution 18")
    assert reply.error and not reply.text.startswith("Climate change")
    reply = await ask("/who-coordinates IMT-2030")
    assert reply.error and 'I know no theme called "IMT-2030"' in reply.text
    assert "IMT-2020/5G" in reply.text  # offered, not taken


async def test_a_short_abbreviation_is_not_a_typo_of_another(ask):
    reply = await ask("/who-coordinates ICT")
    assert reply.error and 'I know no theme called "ICT"' in reply.text
    assert "ITU ICT Committee (ICTC)" in reply.text  # offered, not taken


async def test_the_iscgs_own_resolution_is_said_to_be_no_theme(ask):
    reply = await ask("/who-coordinates Resolution 191")
    assert "Resolution 191 is not a theme" in reply.text
    assert "background documents of the ISCG's own terms of reference" in reply.text


async def test_every_resolution_the_terms_of_reference_cite_is_said_to_be_no_theme(ask):
    for query, said in (
        ("Resolution 208", "the ISCG's terms of reference (ISCG/25-1/03) set the Chair's term"),
        ("Resolution 45", "it is among the background documents of the earlier ISCG terms"),
        ("Resolution 59", "it is among the background documents of the ISCG's own terms"),
    ):
        reply = await ask(f"/who-coordinates {query}")
        assert f"{query} is not a theme: {said}" in reply.text, reply.text
    assert "is not a theme" not in (await ask("/who-coordinates Resolution 11")).text


async def test_a_resolution_listed_for_one_theme_answers_for_it(ask):
    for query, listed in (
        (
            "Resolution 73",
            "Resolution 73 (Rev. Hammamet, 2016) is listed under Climate change, ITU-T",
        ),
        ("Resolution 66", "Resolution 66 (Rev. Buenos Aires, 2017) is listed under Climate change"),
        ("resolution 60", "Resolution 60 (RA-19) is listed under Climate change, ITU-R"),
    ):
        reply = await ask(f"/who-coordinates {query}")
        assert reply.text.startswith("Climate change: who coordinates"), reply.text
        assert listed in reply.text


async def test_a_resolution_as_the_documents_print_it_or_delegates_shorten_it_is_that_one(ask):
    for query, listed in (
        ("Resolution 73 (Rev. Hammamet, 2016)", "Resolution 73 (Rev. Hammamet, 2016) is listed"),
        ("Resolution 60 (RA-19)", "Resolution 60 (RA-19) is listed under Climate change, ITU-R"),
        ("Resolution 66 (Rev. Buenos Aires, 2017).", "Resolution 66 (Rev. Buenos Aires, 2017) is"),
        ("Res. 73", "Resolution 73 (Rev. Hammamet, 2016) is listed under Climate change, ITU-T"),
        ("WTSA Resolution 73", "Resolution 73 (Rev. Hammamet, 2016) is listed under Climate"),
        ("Resolution ITU-R 61", "Resolution 61 (RA-19) is listed under Climate change, ITU-R"),
        ("PP-Resolution 182", "Climate change"),  # as Table 1 heads its column
    ):
        reply = await ask(f"/who-coordinates {query}")
        assert reply.text.startswith("Climate change: who coordinates"), (query, reply.text)
        assert listed in reply.text, (query, reply.text)
    # The Sector named is the one whose resolution it is: Resolution 73 of the
    # Radiocommunication Assembly is not WTSA's.
    for query in ("ITU-R Resolution 73", "Resolution 73 (RA-19)"):
        reply = await ask(f"/who-coordinates {query}")
        assert reply.error and not reply.text.startswith("Climate change"), (query, reply.text)
    reply = await ask("/who-coordinates Resolution 191 (Rev. Dubai, 2018)")
    assert "Resolution 191 (Rev. Dubai, 2018) is not a theme: it is among the background" in (
        reply.text
    )


async def test_a_study_group_event_or_partner_the_documents_list_answers_for_its_theme(ask):
    for query, listed in (
        ("WMO", "WMO is listed under Climate change, ITU-R, among its partner organizations"),
        ("Green Standards Week", "Green Standards Week is listed under Climate change, ITU-T,"),
        ("SDG 13", "SDG 13 is listed under Climate change, All Sectors, among its partner"),
        ("Study Group 5", "Study Group 5 is listed under Climate change, ITU-T, among its study"),
        ("SG7", "Study Group 7 is listed under Climate change, ITU-R, among its study groups"),
        ("Q7/5", "Q7/5 is listed under Climate change, ITU-T, among its study groups"),
        ("FG-AI4EE", "FG-AI4EE is listed under Climate change, ITU-T"),
        ("D.21", "D.21 is listed under Climate change, ITU-D, among its recommendations"),
    ):
        reply = await ask(f"/who-coordinates {query}")
        assert reply.text.startswith("Climate change: who coordinates"), (query, reply.text)
        assert listed in reply.text, reply.text
    assert (await ask("/theme 2017")).error  # a year in brackets names nothing


async def test_a_study_group_named_with_its_sector_or_in_full_is_that_sectors_own(ask):
    for query, listed in (
        ("Question 7/5", "Q7/5 is listed under Climate change, ITU-T, among its study groups"),
        ("ITU-T SG5", "Study Group 5 is listed under Climate change, ITU-T, among its study"),
        ("ITU-T Study Group 20", "Study Group 20 is listed under Climate change, ITU-T, among"),
        ("ITU-D SG2", "Study Group 2 is listed under Climate change, ITU-D, among its study"),
        ("ITU-R WP 7B", "WP 7B is listed under Climate change, ITU-R, among its study groups"),
        # A cell of Table 1 pasted whole: the Question or working party after its group.
        ("Study Group 2 - Q6/2", "Q6/2 is listed under Climate change, ITU-D, among its study"),
        ("ITU-T SG5 Q7/5", "Q7/5 is listed under Climate change, ITU-T, among its study groups"),
        ("Study Group 7 - WP 7B", "WP 7B is listed under Climate change, ITU-R, among its"),
        # ...and a study group as the other UN languages name it.
        ("UIT-T CE 5", "Study Group 5 is listed under Climate change, ITU-T, among its study"),
        ("Comisión de Estudio 2", "Study Group 2 is listed under Climate change, ITU-D, among"),
        ("ИК5", "Study Group 5 is listed under Climate change, ITU-T, among its study groups"),
        ("ITU-T第5研究组", "Study Group 5 is listed under Climate change, ITU-T, among its"),
        ("لجنة الدراسات 2", "Study Group 2 is listed under Climate change, ITU-D, among its"),
        ("Cuestión 7/5", "Q7/5 is listed under Climate change, ITU-T, among its study groups"),
        ("Вопрос 7/5", "Q7/5 is listed under Climate change, ITU-T, among its study groups"),
        ("المسألة 6/2", "Q6/2 is listed under Climate change, ITU-D, among its study groups"),
        ("UIT-R GT 7B", "WP 7B is listed under Climate change, ITU-R, among its study groups"),
    ):
        reply = await ask(f"/who-coordinates {query}")
        assert reply.text.startswith("Climate change: who coordinates"), (query, reply.text)
        assert listed in reply.text, reply.text
    # ITU-R's Study Group 5 is not ITU-T's; SG17 is no misspelt SDG: no theme is offered.
    for query in ("ITU-R SG5", "SG17", "ITU-T SG2"):
        reply = await ask(f"/who-coordinates {query}")
        assert reply.error and f'The documents list "{query}" under no theme' in reply.text
        assert "Did you mean" not in reply.text and "closest" not in reply.text, reply.text


async def test_what_the_documents_mention_but_is_no_theme_is_quoted_with_its_source(ask):
    # "covid" was offered Conformance and interoperability and Child Online Protection,
    # "mapping tables" Emerging trends; the documents say what was done about each.
    reply = await ask("/who-coordinates covid")
    assert reply.text.startswith('I know no theme called "covid".\nThe documents mention covid:')
    assert '- CoVid-19: two new mechanisms, the "ITU-CoVid response team"' in reply.text
    assert "(Report to the Council on the implementation of Resolution 191" in reply.text
    assert "Child Online Protection" not in reply.text and "closest" not in reply.text
    reply = await ask("/who-coordinates mapping tables")
    assert "Mapping Tables, including information from TSAG" in reply.text, reply.text
    assert "(ISCG progress report to TDAG on its meeting of 12 March 2021: 2." in reply.text
    assert "Emerging trends" not in reply.text
    reply = await ask("/who-coordinates JIU")
    assert "- Joint Inspection Unit (JIU): review of acceptance" in reply.text, reply.text
    # A sentence is not cut at a middle initial ("Ahmad R. Sharafat").
    reply = await ask("/who-coordinates Sharafat")
    assert "- TDAG: Mr Ahmad R. Sharafat (Iran (Islamic Republic of)) and Ms Inga" in reply.text
    # A word every other fact has is no subject: the nearest themes, as before.
    reply = await ask("/who-coordinates ITU")
    assert "The documents mention" not in reply.text and "The closest are:" in reply.text


async def test_what_the_documents_mention_still_offers_the_themes_that_name_it(ask):
    # "emergency" was offered Emergency Telecommunications and Disaster risk reduction...;
    # once the documents' sentences were quoted, only a list naming the theme was left.
    reply = await ask("/who-coordinates emergency")
    assert "The documents mention emergency:" in reply.text, reply.text
    assert "The closest are: Disaster risk reduction and management (including relief," in (
        reply.text
    ), reply.text
    assert "emergency communications (Emergency Telecommunications)" in reply.text
    assert "Energy" not in reply.text  # spelt like it, about something else
    reply = await ask("/who-coordinates virtual meetings")
    assert "virtual participation (Remote participation)" in reply.text, reply.text
    reply = await ask("/who-coordinates covid")
    assert "The documents mention covid:" in reply.text and "closest" not in reply.text


async def test_a_question_no_theme_answers_is_looked_for_in_long_documents(ask, services):
    # Every sentence of every fact was split and folded again for each such question,
    # to see whether it named the question: the longer the documents, the slower.
    # How fast is for `make bench` (bench_directory's unknown names), never a test.
    async with services.db.transaction() as conn:
        await conn.executemany(
            "INSERT INTO facts (key, value) VALUES (?, ?)",
            [
                (f"notes.{n}", f"Note {n} of the meeting. The group agreed on item {n} today.")
                for n in range(20_000)
            ],
        )
    await ask("/who-coordinates accessibility")  # the name index is built once
    reply = await ask("/who-coordinates covid")
    assert "- CoVid-19: two new mechanisms" in reply.text, reply.text


async def test_what_the_documents_mention_is_quoted_from_the_start_of_its_sentence(ask):
    # A sentence was cut at the "Rev." of a resolution's citation: "Geneva" quoted
    # "- Geneva, 2015) and Resolution ITU-R 7-3 ...", its first resolution lost.
    reply = await ask("/who-coordinates Geneva")
    assert (
        "- b) Resolution ITU-R 6-2 (Rev. Geneva, 2015) and Resolution ITU-R 7-3 (Rev. Geneva,"
        " 2015) of the RA; (TSAG liaison statement to TDAG" in reply.text
    ), reply.text
    reply = await ask("/who-coordinates Dubai")
    assert "- a) Resolution 191 (Rev. Dubai, 2018) of the Plenipotentiary Conference;" in (
        reply.text
    ), reply.text
    assert "\n- Dubai, 2018)" not in reply.text and "\n- Geneva" not in reply.text


async def test_a_word_with_a_groups_letters_in_another_order_is_no_typo_of_it(ask):
    # "GATS" (the WTO's services agreement) was read as a guess for TSAG, whose letters
    # it has; only two letters trading places is the typo an abbreviation gets.
    reply = await ask("/who-coordinates GATS")
    assert "TSAG" not in reply.text, reply.text
    assert reply.text.startswith('I know no theme called "GATS".'), reply.text
    reply = await ask("/who-coordinates TSGA")
    assert reply.text.startswith('(A guess: I read "TSGA" as TSAG'), reply.text


async def test_a_sector_named_after_a_study_group_or_resolution_says_whose_it_is(ask):
    # "SG5 in ITU-R" answered for ITU-T's Study Group 5, and "Résolution 73 de l'UIT-R"
    # for WTSA's Resolution 73: the Sector after it was dropped, as after a theme.
    for query in ("SG5 in ITU-R", "WP 7B in ITU-T"):
        reply = await ask(f"/who-coordinates {query}")
        assert reply.text.startswith(f'The documents list "{query}" under no theme'), reply.text
    for query in ("Resolution 73 in ITU-R", "Résolution 73 de l'UIT-R"):
        reply = await ask(f"/who-coordinates {query}")
        assert reply.error and "ITU-T" not in reply.text.split("\n")[0], reply.text
        assert "Climate change: who coordinates" not in reply.text, reply.text
    for query in ("SG5 in ITU-T", "Resolution 73 of ITU-T", "WP 7B at the BR"):
        reply = await ask(f"/who-coordinates {query}")
        assert reply.text.startswith("Climate change: who coordinates"), (query, reply.text)


async def test_an_advisory_group_named_after_its_sector_is_that_group(ask):
    # ITU people pair a Sector with its advisory group or Bureau: "ITU-R/RAG" got the
    # nearest themes ("Improvement of the ITU webpages..."), not what RAG is.
    for query, body in (
        ("/who-coordinates ITU-R/RAG", "RAG is not a theme of common interest: it is the Radio"),
        ("/who-coordinates ITU-T TSAG", "TSAG is not a theme of common interest"),
        ("/who-coordinates UIT-D/TDAG", "TDAG is not a theme of common interest"),
        ("/who-coordinates ITU-D/BDT", "BDT is not a theme of common interest"),
        ("who are the ITU-R/RAG representatives?", "RAG is not a theme of common interest"),
    ):
        reply = await ask(query)
        assert reply.text.startswith(body), (query, reply.text)
        assert "Mr Abdouramane El Hadjar (Cameroon)" in reply.text or "BDT" in query
    # Who in the group is asked for after its name, as a delegate types it: "ISCG chair"
    # quoted a sentence that names the ISCG Chair in passing, not who it is.
    for query, body in (
        ("/who-coordinates ISCG chair", "ISCG is not a theme of common interest"),
        ("/who-coordinates ISCG's chair", "ISCG is not a theme of common interest"),
        ("/who-coordinates TDAG representatives", "TDAG is not a theme of common interest"),
    ):
        reply = await ask(query)
        assert reply.text.startswith(body), (query, reply.text)
    assert "Chair: Mr Fabio Bigi (Italy)" in (await ask("/who-coordinates ISCG chair")).text
    # An abbreviation typed with two letters swapped got nothing, or the nearest themes.
    for query, body in (("TSGA", "TSAG"), ("ISGC", "ISCG"), ("ISC-FT", "ISC-TF")):
        reply = await ask(f"/who-coordinates {query}")
        assert reply.text.startswith(f'(A guess: I read "{query}" as {body}, the '), reply.text
        assert "which is not a theme.)" in reply.text and "closest" not in reply.text
    assert "Chair: Mr Fabio Bigi (Italy)" in (await ask("who chairs the ICSG?")).text
    assert "A guess" not in (await ask("/who-coordinates SG")).text  # GS is no swapped SG
    # A Sector alone was offered "ITR", "IoT" and "IRG": it is its advisory group that
    # sits in the ISCG.
    for query, group in (("ITU-R", "Radiocommunication"), ("UIT-T", "Telecommunication Stand")):
        reply = await ask(f"/who-coordinates {query}")
        assert reply.text.startswith(
            f"{query} is a Sector of the Union, not a theme: in the ISCG it is represented"
            f" through its advisory group, the {group}"
        ), reply.text
        assert "Mr Abdouramane El Hadjar (Cameroon)" in reply.text and "ITR" not in reply.text
    # A Sector and another Sector's group name nothing that exists.
    assert (await ask("/who-coordinates ITU-R/TSAG")).text.startswith("I know no theme")


async def test_a_study_group_or_question_listed_nowhere_hears_which_ones_are(ask):
    # As ITU people write them: the documents list neither, so the answer says what they
    # do list, and its example is one of the Sector named that answers.
    for query, example in (
        ("SG16", "/who-coordinates ITU-R Study Group 7"),
        ("ITU-D Q7/1", "/who-coordinates ITU-D Study Group 2"),
        ("ITU-T Study Group 16", "/who-coordinates ITU-T Study Group 5"),
    ):
        reply = await ask(f"/who-coordinates {query}")
        assert reply.error, reply.text
        assert f'The documents list "{query}" under no theme of common interest.' in reply.text
        assert (
            "The study groups and Questions they list are under Climate change: ITU-R: Study"
            " Group 7, WP 7B, WP 7C · ITU-T: Study Group 5, Study Group 20, FG-AI4EE, Q6/5,"
            " Q7/5, Q9/5 · ITU-D: Study Group 2, Study Group 20, Q4/20, Q6/2." in reply.text
        ), reply.text
        assert f"For example: {example}" in reply.text, reply.text
        assert (await ask(example)).text.startswith("Climate change: who coordinates")
    reply = await ask("/set-coordinator SG16 | Jane Doe", who=CHAIR)
    assert "For example: /set-coordinator Climate change | Jane Doe" in reply.text, reply.text


async def test_which_study_groups_of_a_theme_with_none_says_so(ask):
    reply = await ask("which study groups work on accessibility?")
    assert "Study groups\nThe documents name none for Accessibility." in reply.text, reply.text
    reply = await ask("which study groups work on e-waste?")
    assert "The documents name none" not in reply.text


async def test_subtopic_answers_for_its_theme_with_study_groups(ask):
    reply = await ask("/who-coordinates e-waste")
    assert reply.text.startswith("Climate change: who coordinates")
    assert "e-waste is a sub-topic of Climate change" in reply.text
    assert "ITU-T: Study Group 5 - Q7/5" in reply.text
    assert "ITU-D: Study Group 2 - Q6/2" in reply.text
    assert (await ask("/who-coordinates ewaste")).text.startswith("Climate change")


async def test_a_subtopic_named_in_another_un_language_answers_for_its_theme(ask):
    for query, subtopic in (
        ("déchets électroniques", "e-waste"),
        ("¿quién coordina los residuos electrónicos?", "e-waste"),
        ("电子废物", "e-waste"),
        ("电子废弃物", "e-waste"),  # as often written in China
        ("電子廢棄物", "e-waste"),
        ("WEEE", "e-waste"),  # the English of the French DEEE and Spanish RAEE
        ("waste electrical and electronic equipment", "e-waste"),
        ("economía circular", "Circular economy"),
        ("выбросы парниковых газов", "GHG emissions"),
    ):
        text = query if query.startswith("¿") else f"/who-coordinates {query}"
        reply = await ask(text)
        assert reply.text.startswith("Climate change: who coordinates"), (query, reply.text)
        assert f"{subtopic} is a sub-topic of Climate change." in reply.text, reply.text
        assert "A guess" not in reply.text, (query, reply.text)


async def test_nobody_recorded_is_said_plainly_and_never_invented(ask):
    reply = await ask("/who-coordinates gender")
    assert "Coordinator: none recorded" in reply.text
    assert "Nobody is recorded yet" in reply.text
    assert "appoint one Coordinator and Focal Points" in reply.text
    assert "/set-coordinator Gender |" in reply.text
    assert "iscg@itu.int" in reply.text
    assert reply.footer and "Source:" in reply.footer


async def test_who_coordinates_says_which_body_the_documents_give_the_theme_to(ask):
    reply = await ask("who coordinates accessibility?")
    assert "What the documents say" in reply.text
    assert "addressed and coordinated within the Inter-Sectoral Coordination Task Force" in (
        reply.text
    )
    assert "(ISCG progress report to TDAG on its meeting of 12 March 2021: 2." in reply.text
    reply = await ask("/who-coordinates AI")
    assert "thematic areas coordinated by the Inter-Sectoral Coordination Task Force" in reply.text
    assert "chaired by the Deputy Secretary-General" in reply.text
    reply = await ask("/who-coordinates e-waste")
    assert "As the ISCG pilot theme it involves all actors" in reply.text
    theme_page = (await ask("/theme gender")).text
    assert "Inter-sectoral Focal Points are responsible" in theme_page
    assert "What the documents say" not in (await ask("/who-coordinates youth")).text


async def test_what_the_documents_say_cites_only_sections_that_name_the_theme(ask):
    council_report = (
        "Report to the Council on the implementation of Resolution 191 (Rev. Dubai, 2018)"
    )
    said = (await ask("/who-coordinates AI")).text.split("What the documents say")[1]
    assert f"{council_report}: 2.2-2.3;" in said  # its 2.3 lists the ISC-TF's areas, AI among them
    # Community Networks is not in that list: only the 2019 report's Annex names it an ISC-TF
    # area; the Council report is cited for the Task Force's chair and focal points alone.
    said = (await ask("/who-coordinates community networks")).text.split("What the documents")[1]
    assert "thematic areas coordinated by the Inter-Sectoral Coordination Task Force" in said
    assert f"{council_report}: 2.2;" in said and "2.2-2.3" not in said, said
    assert "25 September 2019: Annex 1.1)" in said


async def test_who_chairs_the_iscg_is_answered_in_the_members_languages(ask):
    for question in (
        "who is the ISCG chair?",
        "qui préside l'ISCG ?",
        "¿quién es el presidente del ISCG?",
        "кто председатель ISCG?",
        "谁是ISCG主席？",
        "من يرأس ISCG؟",
    ):
        reply = await ask(question)
        assert "Chair: Mr Fabio Bigi (Italy)" in reply.text, (question, reply.text)


async def test_a_group_of_the_union_asked_for_as_a_theme_is_said_what_it_is(ask):
    reply = await ask("who chairs the ISCG?")
    assert reply.text.startswith(
        "ISCG is not a theme of common interest: it is the Inter-Sector Coordination Group"
    ), reply.text
    assert "Chair: Mr Fabio Bigi (Italy)" in reply.text
    assert "(ISCG/25-1/03-E, 23 January 2025: Contact" in reply.text
    reply = await ask("who are the TSAG representatives?")
    assert "TSAG: Mr Dominique Wurges (France) and Mr Noah LUO (China)" in reply.text
    for query in ("/theme ISC-TF", "who coordinates the Inter-Sectoral Coordination Task Force?"):
        reply = await ask(query)
        assert "it is the Inter-Sectoral Coordination Task Force (ISC-TF)" in reply.text
        assert "chaired by the Deputy Secretary-General" in reply.text
        assert "ITU ICT Committee" not in reply.text and "Did you mean" not in reply.text


async def test_unknown_theme_offers_three_closest_and_themes(ask):
    reply = await ask("/who-coordinates quantum blockchain")
    assert reply.error
    assert 'I know no theme called "quantum blockchain"' in reply.text
    assert "/themes" in reply.text


async def test_unknown_theme_gives_one_example_and_it_is_the_closest_theme(ask):
    reply = await ask("/who-coordinates artificial intelligence ethics")
    assert reply.text.count("For example:") == 1, reply.text
    assert reply.text.endswith("For example: /who-coordinates Artificial Intelligence")
    reply = await ask("/set-coordinator accesibility | Bob Smith", who=CHAIR)
    assert reply.text.count("For example:") == 1, reply.text
    assert "For example: /set-coordinator Accessibility | Bob Smith" in reply.text


async def test_a_resolution_is_offered_only_themes_that_cite_it(ask):
    reply = await ask("/who-coordinates Resolution 191")
    assert "Resolution 1)" not in reply.text and "Did you mean" not in reply.text, reply.text
    assert "The closest are" not in reply.text
    reply = await ask("/who-coordinates Decision 5")
    assert "Did you mean Revenue Generation Group (Annex 2 Decision 5)?" in reply.text
    assert "Decision 482" not in reply.text


async def test_a_pasted_paragraph_is_not_said_back_whole(ask):
    pasted = "the ISCG report on climate and spectrum matters " * 60
    reply = await ask(f"/who-coordinates {pasted}")
    assert reply.error and len(reply.text) < 600, len(reply.text)
    assert 'I know no theme called "the ISCG report on climate and spectrum matters the' in (
        reply.text
    )
    assert '…".' in reply.text


async def test_a_suggestion_shows_the_name_that_was_close(ask):
    reply = await ask("/who-coordinates @everyone")
    assert "Did you mean Environment (Climate change)?" in reply.text, reply.text
    reply = await ask("/who-coordinates ICT")
    assert "ITU ICT Committee (ICTC)," in reply.text and "ICTC (ITU" not in reply.text
    assert "ICT applications (Climate change)" in reply.text


async def test_a_theme_is_offered_by_its_english_name_before_another_languages(ask):
    reply = await ask("/who-coordinates internet")
    assert "Internet Governance Group" in reply.text, reply.text
    assert "gobernanza" not in reply.text and "Internet de las cosas" not in reply.text
    assert "brecha" not in (await ask("/who-coordinates digital")).text
    reply = await ask("/who-coordinates gobernanza")  # named only in Spanish: as such
    assert "gobernanza de Internet (Internet Governance Group)" in reply.text


async def test_unknown_theme_suggestions_are_close(ask):
    reply = await ask("/who-coordinates climat chnge")
    assert "Climate change" in reply.text


async def test_empty_gets_usage_with_example(ask):
    reply = await ask("/who-coordinates")
    assert reply.error
    assert "Usage: /who-coordinates <theme>" in reply.text
    assert "/who-coordinates accessibility" in reply.text


async def test_set_coordinator_needs_role_and_says_which(ask):
    reply = await ask("/set-coordinator accessibility | Jane Doe <jane@example.org> TSAG")
    assert reply.error
    assert "needs the chair or secretariat role" in reply.text
    assert "you are recorded as member" in reply.text
    assert "Coordinator: none recorded" in (await ask("/who-coordinates accessibility")).text


async def test_chair_command_on_a_guessed_theme_records_nothing_and_says_why(ask):
    reply = await ask("/set-focal-point Resolution 191 | GS | Rex Olution", who=CHAIR)
    assert reply.error and 'I know no theme called "Resolution 191"' in reply.text
    assert "Rex Olution" not in (await ask("/who-coordinates Resolution 1")).text
    reply = await ask("/set-coordinator accesibility | Jane Doe <jane@example.org> TSAG", who=CHAIR)
    assert reply.error
    assert 'I know no theme called "accesibility"' in reply.text
    assert "Did you mean Accessibility?" in reply.text
    assert (
        "For example: /set-coordinator Accessibility | Jane Doe <jane@example.org> TSAG"
        in reply.text
    )
    assert "Coordinator: none recorded" in (await ask("/who-coordinates accessibility")).text


async def test_chair_naming_a_partner_or_study_group_records_nothing_and_shows_the_theme(ask):
    reply = await ask("/set-focal-point WMO | ITU-R | Ana Lima", who=CHAIR)
    assert reply.error and "Did you mean Climate change?" in reply.text, reply.text
    assert "For example: /set-focal-point Climate change | ITU-R | Ana Lima" in reply.text
    assert "Ana Lima" not in (await ask("/who-coordinates climate change")).text


async def test_chair_records_coordinator_and_focal_point(ask):
    reply = await ask(
        "/set-coordinator accessibility | Jane Doe <jane@example.org> TSAG", who=CHAIR
    )
    assert not reply.error, reply.text
    assert "Recorded Jane Doe <jane@example.org> (TSAG) as coordinator for Accessibility" in (
        reply.text
    )
    reply = await ask("/set-focal-point accessibility | ITU-D | Ali Ahmed", who=CHAIR)
    assert "ITU-D focal point for Accessibility" in reply.text
    shown = await ask("/who-coordinates a11y")
    assert "Jane Doe (TSAG) <jane@example.org>" in shown.text
    assert "Focal point, ITU-D: Ali Ahmed" in shown.text
    assert "Nobody is recorded yet" not in shown.text
    again = await ask(
        "/set-coordinator accessibility | Jane Doe <jane@example.org> TSAG", who=CHAIR
    )
    assert "already recorded" in again.text
    # Named again without her advisory group, or by her address in capitals: nothing new.
    for same in ("jane doe", "Jane Doe <JANE@example.org>"):
        again = await ask(f"/set-coordinator accessibility | {same}", who=CHAIR)
        assert "was already recorded as coordinator for Accessibility; nothing changed" in (
            again.text
        ), (same, again.text)
    moved = await ask("/set-coordinator accessibility | Jane Doe TDAG", who=CHAIR)
    assert "Recorded Jane Doe (TDAG) as coordinator for Accessibility" in moved.text
    assert "Jane Doe (TDAG) <jane@example.org>" in (await ask("/who-coordinates a11y")).text


async def test_a_person_asked_for_as_a_theme_is_said_to_be_one_with_what_they_coordinate(ask):
    for command in (
        "/set-coordinator accessibility | Jane Doe <jane@example.org> TSAG",
        "/set-coordinator AI | Jane Doe <jane@example.org>",
        "/set-focal-point climate change | ITU-T | Jane Doe <jane@example.org>",
    ):
        assert not (await ask(command, who=CHAIR)).error, command
    reply = await ask("/who-coordinates jane doe")
    assert reply.error and "Jane Doe is a person, not a theme" in reply.text, reply.text
    assert (
        "coordinator for Accessibility, Artificial Intelligence; ITU-T focal point for"
        " Climate change" in reply.text
    ), reply.text
    assert "jeunesse" not in reply.text and "Youth" not in reply.text
    # Known from the documents, recorded for no theme: who the documents say they are,
    # by their name as the documents write it, with a title or without accents.
    for name in ("Fabio Bigi", "Mr Fabio Bigi", "fabio bigi"):
        reply = await ask(f"/who-coordinates {name}")
        assert (
            "Fabio Bigi is a person, not a theme: ISCG Chair (Italy) in the documents"
            " (ISCG/25-1/03-E, 23 January 2025: Contact; 2. Proposal, Composition, item 2);"
            " recorded for no theme." in reply.text
        ), reply.text
    reply = await ask("/who-coordinates Inga Rimkevičienė")
    assert "Inga Rimkeviciene is a person, not a theme: Telecommunication Development" in (
        reply.text
    ), reply.text
    reply = await ask("/who-coordinates Peter Major")  # of the earlier terms of reference
    assert "Peter Major is a person, not a theme: formerly Radiocommunication Advisory" in (
        reply.text
    ), reply.text


async def test_a_name_no_theme_has_is_answered_among_many_people(ask, services):
    # Whether an unknown name was a person read every person recorded, each made a
    # model and folded, on every question no theme answered: seconds in a large directory.
    # How fast is for `make bench` (bench_directory's unknown names), never a test.
    async with services.db.transaction() as conn:
        await conn.executemany(
            "INSERT INTO people (name, email) VALUES (?, ?)",
            [(f"Person {n}", f"p{n}@example.org") for n in range(40_000)],
        )
    await ask("/who-coordinates accessibility")  # the name index is built once
    reply = await ask("/who-coordinates quantum zebra")
    assert reply.error and 'I know no theme called "quantum zebra"' in reply.text, reply.text
    reply = await ask("/who-coordinates Person 39999")
    assert "Person 39999 is a person, not a theme: recorded for no theme." in reply.text
    reply = await ask("/who-coordinates Inga Rimkevičienė")
    assert "Inga Rimkeviciene is a person, not a theme: Telecommunication Development" in (
        reply.text
    ), reply.text


async def test_chair_naming_a_subtopic_reads_that_the_whole_theme_is_recorded(ask):
    reply = await ask("/set-coordinator e-waste | Eve Waste <eve@example.org> TDAG", who=CHAIR)
    assert not reply.error, reply.text
    assert reply.text.startswith(
        "e-waste is part of Climate change: recorded Eve Waste <eve@example.org> (TDAG)"
        " as coordinator for Climate change."
    )
    reply = await ask("/set-focal-point Resolution 73 | ITU-T | Tim Tee", who=CHAIR)
    assert reply.text.startswith(
        "Resolution 73 (Rev. Hammamet, 2016) is listed under Climate change: recorded Tim Tee"
        " as ITU-T focal point for Climate change."
    )


async def test_the_name_a_chair_gives_replaces_an_address_used_as_a_name(ask):
    await ask("/themes", who="email:bob@example.org")  # known by his address alone
    reply = await ask("/set-coordinator accessibility | Bob Roe <bob@example.org> RAG", who=CHAIR)
    assert reply.text.startswith("Recorded Bob Roe <bob@example.org> (RAG)"), reply.text
    shown = await ask("/who-coordinates accessibility")
    assert "Bob Roe (RAG) <bob@example.org>" in shown.text
    assert "bob@example.org (RAG)" not in shown.text


async def test_set_focal_point_refuses_unknown_sector(ask):
    reply = await ask("/set-focal-point accessibility | ITU-X | Jane", who=CHAIR)
    assert reply.error
    assert reply.text.startswith(
        "The Sector must be ITU-R, ITU-T, ITU-D or GS (General Secretariat).\n"
        "For example: /set-focal-point accessibility | ITU-T |"
    )
    assert "input should be" not in reply.text


async def test_set_focal_point_takes_the_bureaux_for_their_sectors(ask):
    for bureau, sector in (("BR", "ITU-R"), ("TSB", "ITU-T"), ("bdt", "ITU-D")):
        reply = await ask(f"/set-focal-point gender | {bureau} | Ann Bee", who=CHAIR)
        assert f"Recorded Ann Bee as {sector} focal point for Gender" in reply.text


async def test_set_focal_point_takes_a_sector_as_chairs_write_it(ask):
    for written, sector in (
        ("ITU–T", "ITU-T"),  # Word's dash
        ("ITU T", "ITU-T"),
        ("UIT-D", "ITU-D"),  # French and Spanish
        ("МСЭ-R", "ITU-R"),  # Russian
        ("Secrétariat général", "General Secretariat"),
    ):
        reply = await ask(f"/set-focal-point gender | {written} | Ann Bee", who=CHAIR)
        assert f"as {sector} focal point for Gender" in reply.text, reply.text
        assert not reply.error
    reply = await ask("/set-coordinator youth | Tom Tee UIT-T", who=CHAIR)
    assert reply.error and reply.text.startswith("UIT-T is a Sector, not an advisory group")


async def test_set_coordinator_without_a_bar_records_nothing_and_shows_where_it_goes(ask):
    reply = await ask("/set-coordinator climate change Jane Doe", who=CHAIR)
    assert reply.error
    assert reply.text.startswith(
        "Put | between the theme and the person.\n"
        "For example: /set-coordinator climate change | Jane Doe <jane@example.org> TSAG"
    )
    assert "Coordinator: none recorded" in (await ask("/who-coordinates climate change")).text


async def test_a_sector_where_the_advisory_group_goes_is_refused(ask):
    reply = await ask("/set-coordinator gender | Tom Tee <tom@example.org> ITU-T", who=CHAIR)
    assert reply.error
    assert reply.text.startswith(
        "ITU-T is a Sector, not an advisory group: the advisory groups are "
        "RAG (ITU-R), TSAG (ITU-T) and TDAG (ITU-D).\nFor example: /set-coordinator "
    )
    assert "Tom Tee" not in (await ask("/who-coordinates gender")).text


async def test_a_mention_or_broadcast_word_is_no_person(ask):
    for name in ("@everyone", "everyone", "<!here>"):
        reply = await ask(f"/set-coordinator accessibility | {name}", who=CHAIR)
        assert reply.error, name
        assert f"{name} is a mention, not a person to record" in reply.text
    reply = await ask("/set-coordinator accessibility | <@U123ABC>", who=CHAIR)
    assert reply.error and "I know no one who answers to @\u2060U123ABC" in reply.text
    assert "Coordinator: none recorded" in (await ask("/who-coordinates accessibility")).text


async def test_a_mistyped_address_is_said_to_be_one_and_nothing_is_recorded(ask):
    for person, address in (
        ("Jane Doe <jane@example> TSAG", "jane@example"),
        ("Jane Doe <jane.doe@example,org>", "jane.doe@example,org"),
        ("Jane Doe jane@example TSAG", "jane@example"),
    ):
        reply = await ask(f"/set-coordinator accessibility | {person}", who=CHAIR)
        assert reply.error, person
        assert f"{address} is not a whole e-mail address" in reply.text, reply.text
        assert "mention" not in reply.text
        assert "/set-coordinator accessibility | Jane Doe <jane@example.org> TSAG" in reply.text
    reply = await ask("/set-focal-point accessibility | ITU-T | Li Wei <li.wei@itu>", who=CHAIR)
    assert reply.error and "li.wei@itu is not a whole e-mail address" in reply.text, reply.text
    assert "Coordinator: none recorded" in (await ask("/who-coordinates accessibility")).text


async def test_a_known_person_may_be_named_by_their_address_alone(ask):
    await ask("/set-coordinator accessibility | Jane Doe <jane@example.org> TSAG", who=CHAIR)
    reply = await ask("/set-focal-point climate change | ITU-T | jane@example.org", who=CHAIR)
    assert "Recorded Jane Doe <jane@example.org> as ITU-T focal point for Climate change" in (
        reply.text
    ), reply.text
    reply = await ask("/set-coordinator AI | <Jane@Example.org>", who=CHAIR)
    assert "Recorded Jane Doe <jane@example.org> as coordinator for Artificial" in reply.text
    reply = await ask("/set-coordinator AI | bob@example.org TSAG", who=CHAIR)  # unknown
    assert reply.error and "Give the person's name: I know no one at bob@example.org" in (
        reply.text
    ), reply.text
    assert "Bob" not in (await ask("/who-coordinates AI")).text


async def test_a_person_named_with_a_title_is_the_one_known_without_it(ask):
    # The documents write "Mr Fabio Bigi", "Ms Inga Rimkeviciene": chairs copy them so.
    for person in ("Mr Fabio Bigi", "Mr. Fabio Bigi", "M. Fabio Bigi", "Sr. Fabio Bigi"):
        reply = await ask(f"/set-focal-point AI | GS | {person}", who=CHAIR)
        assert not reply.error and "Fabio Bigi" in reply.text, reply.text
        assert "Mr" not in reply.text and "M." not in reply.text and "Sr" not in reply.text
    shown = (await ask("/who-coordinates AI")).text
    assert "Focal point, General Secretariat: Fabio Bigi (Italy) <fabio.bigi@virgilio.it>" in (
        shown
    ), shown
    reply = await ask("/set-coordinator AI | Ms Inga Rimkeviciene TDAG", who=CHAIR)
    assert "Recorded Inga Rimkeviciene (TDAG) as coordinator" in reply.text, reply.text
    assert "Inga Rimkeviciene (TDAG, Lithuania)" in (await ask("/who-coordinates AI")).text


async def test_a_person_named_with_their_country_in_brackets_is_known_by_the_name(ask):
    # As the documents list the representatives: "Mr Noah LUO (China)".
    reply = await ask("/set-coordinator AI | Mr Noah LUO (China) TSAG", who=CHAIR)
    assert "Recorded Noah LUO (TSAG) as coordinator for Artificial Intelligence" in (reply.text), (
        reply.text
    )
    reply = await ask(
        "/set-focal-point AI | ITU-D | Ahmad R. Sharafat (Iran (Islamic Republic of))", who=CHAIR
    )
    assert "Recorded Ahmad R. Sharafat as ITU-D focal point" in reply.text, reply.text
    reply = await ask(
        "/set-focal-point AI | ITU-R | Ana Pérez (Mexico) <ana@example.mx>", who=CHAIR
    )
    assert "Recorded Ana Pérez <ana@example.mx> as ITU-R focal point" in reply.text, reply.text
    shown = (await ask("/who-coordinates AI")).text
    assert "Coordinator: Noah LUO (TSAG, China)" in shown, shown
    assert "Focal point, ITU-D: Ahmad R. Sharafat (Iran (Islamic Republic of))" in shown
    assert "Focal point, ITU-R: Ana Pérez (Mexico) <ana@example.mx>" in shown, shown


async def test_an_advisory_group_or_sector_in_brackets_is_no_country(ask):
    # Chairs write the person's group or Bureau in brackets as often as their country:
    # '(Mexico, TDAG)' was recorded as a person named 'Hu Ka (Mexico', '(BR)' as a country.
    reply = await ask("/set-coordinator SMEs | Hu Ka (Mexico, TDAG)", who=CHAIR)
    assert reply.text.startswith("Recorded Hu Ka (TDAG) as coordinator"), reply.text
    reply = await ask("/set-coordinator youth | Bo Li (RAG Vice-Chair) <bo@example.org>", who=CHAIR)
    assert reply.text.startswith("Recorded Bo Li <bo@example.org> (RAG) as"), reply.text
    reply = await ask("/set-focal-point youth | ITU-T | Ed Gee (TSB)", who=CHAIR)
    assert reply.text.startswith("Recorded Ed Gee as ITU-T focal point for Youth"), reply.text
    assert "Coordinator: Hu Ka (TDAG, Mexico)" in (await ask("/who-coordinates SMEs")).text
    shown = (await ask("/who-coordinates youth")).text
    assert "Coordinator: Bo Li (RAG, Vice-Chair) <bo@example.org>" in shown, shown
    assert "Focal point, ITU-T: Ed Gee\n" in shown, shown
    for person, refused in (
        ("Ana Pérez (ITU-R)", "ITU-R is a Sector, not an advisory group: the advisory groups"),
        ("Ana Pérez (BR)", "BR is a Sector, not an advisory group"),
        ("Ana Pérez (TSAG) RAG", "Give one advisory group: TSAG or RAG."),
    ):
        reply = await ask(f"/set-coordinator gender | {person}", who=CHAIR)
        assert reply.error and reply.text.startswith(refused), reply.text
    reply = await ask("/set-focal-point gender | ITU-D | Fa Ho (TSB)", who=CHAIR)
    assert reply.error and reply.text.startswith(
        "TSB is not ITU-D, the Sector this focal point is recorded for"
    ), reply.text
    assert "none recorded" in (await ask("/who-coordinates gender")).text
    assert "Ana" not in (await ask("/who-coordinates gender")).text


async def test_a_sector_of_several_words_in_brackets_is_read_as_one_word_is(ask):
    # '(General Secretariat)' took its last word alone for a Sector given where the advisory
    # group goes, and refused "Secretariat) is a Sector" even for a GS focal point.
    reply = await ask("/set-focal-point youth | GS | Ed Gee (General Secretariat)", who=CHAIR)
    assert reply.text.startswith("Recorded Ed Gee as General Secretariat focal point for Youth"), (
        reply.text
    )
    assert (
        "Focal point, General Secretariat: Ed Gee\n" in (await ask("/who-coordinates youth")).text
    )
    reply = await ask("/set-coordinator gender | Ana Pérez (General Secretariat)", who=CHAIR)
    assert reply.error and reply.text.startswith(
        "General Secretariat is a Sector, not an advisory group"
    ), reply.text


async def test_a_person_pasted_from_outlook_is_named_as_they_are_called(ask):
    # Outlook copies a recipient as '"Doe, Jane" <jane@example.org>': recorded with the
    # quotes, family name first, as '"Doe, Jane"'.
    reply = await ask('/set-coordinator accessibility | "Doe, Jane" <jane@example.org>', who=CHAIR)
    assert reply.text.startswith("Recorded Jane Doe <jane@example.org> as coordinator"), reply.text
    reply = await ask("/set-coordinator gender | 'Ann Bee' <ann@example.org> TSAG", who=CHAIR)
    assert reply.text.startswith("Recorded Ann Bee <ann@example.org> (TSAG) as"), reply.text
    shown = (await ask("/who-coordinates accessibility")).text
    assert "Coordinator: Jane Doe <jane@example.org>" in shown, shown
    assert (
        "Coordinator: Ann Bee (TSAG) <ann@example.org>"
        in (await ask("/who-coordinates gender")).text
    )


async def test_a_person_pasted_from_outlook_with_brackets_in_the_quotes_is_named_as_called(ask):
    # Outlook quotes the brackets after the name with it: '"Doe, Jane (Kenya)"' recorded a
    # person named 'Jane (Kenya) Doe', the brackets taken for a given name.
    reply = await ask(
        '/set-coordinator accessibility | "Doe, Jane (Kenya)" <jane@example.org> TSAG', who=CHAIR
    )
    assert reply.text.startswith("Recorded Jane Doe <jane@example.org> (TSAG) as coordinator"), (
        reply.text
    )
    reply = await ask('/set-focal-point AI | ITU-T | "Roe, Ray (TSB)" <ray@example.org>', who=CHAIR)
    assert reply.text.startswith("Recorded Ray Roe <ray@example.org> as ITU-T focal point"), (
        reply.text
    )
    shown = (await ask("/who-coordinates accessibility")).text
    assert "Coordinator: Jane Doe (TSAG, Kenya) <jane@example.org>" in shown, shown
    reply = await ask('/set-coordinator gender | "Doe, Jane (ITU-T)"', who=CHAIR)
    assert reply.error and reply.text.startswith("ITU-T is a Sector, not an advisory"), reply.text


async def test_a_quoted_name_with_a_degree_after_it_is_not_turned_round(ask):
    # '"Jane Doe, PhD"' was read as Outlook's family-name-first form: 'PhD Jane Doe'.
    for quoted, shown, email in (
        ("Jane Doe, PhD", "Jane Doe, PhD", "jd@example.org"),
        ("Roe Jr., Ray", "Ray Roe Jr.", "rr@example.org"),
    ):
        reply = await ask(f'/set-coordinator AI | "{quoted}" <{email}>', who=CHAIR)
        assert reply.text.startswith(f"Recorded {shown} <{email}> as coordinator"), reply.text


async def test_a_new_person_with_their_address_in_brackets_is_named_without_them(ask):
    """'/set-focal-point AI | ITU-R | Ana Pérez (ana@example.mx)' recorded a new person
    named 'Ana Pérez ( )', the brackets left when the address was taken out."""
    reply = await ask("/set-focal-point AI | ITU-R | Ana Pérez (ana@example.mx)", who=CHAIR)
    assert "Recorded Ana Pérez <ana@example.mx> as ITU-R focal point" in reply.text, reply.text
    shown = (await ask("/who-coordinates AI")).text
    assert "Focal point, ITU-R: Ana Pérez <ana@example.mx>" in shown, shown


async def test_set_focal_point_without_a_person_shows_its_own_example(ask):
    reply = await ask("/set-focal-point accessibility | ITU-T |", who=CHAIR)
    assert reply.error
    assert "Give the person's name" in reply.text
    assert "For example: /set-focal-point accessibility | ITU-T | Jane Doe" in reply.text
    assert "/set-coordinator" not in reply.text


async def test_recorded_coordinator_becomes_coordinator(ask, services):
    await ask("/set-coordinator gender | Jane Doe <jane@example.org>", who=CHAIR)
    ctx = await services.context_for("email:jane@example.org", "Jane", "console:main")
    assert ctx.role.label == "coordinator"


async def test_themes_by_category_and_filter(ask):
    reply = await ask("/themes")
    assert "ISC-TF subject areas of work" in reply.text
    assert "ISCG revised list of areas of mutual interest" in reply.text
    assert "1.1 Remote participation" in reply.text
    pilot = await ask("/themes pilot")
    assert "Climate change" in pilot.text
    assert "Accessibility" not in pilot.text
    assert (await ask("/themes zzzz")).error
    # A filter is typed short, or in French: the start of a word is enough.
    access = await ask("/themes access")
    assert not access.error and "• Accessibility" in access.text, access.text
    assert "• Non-discriminatory access" in access.text
    climat = await ask("/themes climat")
    assert climat.text.startswith('Themes matching "climat"') and "• Climate change" in climat.text


async def test_themes_filter_names_a_list_once_and_reads_a_typo_as_theme_does(ask):
    pilot = (await ask("what are the pilot themes?")).text
    assert "ISCG pilot themes (1)\n• Climate change" in pilot
    assert "Areas from the mapping of resolutions" not in pilot
    council = (await ask("/themes council")).text
    assert "Issues covered by Council working groups (8)" in council
    assert "Cross-sectoral groups" not in council  # WSIS and SDGs is shown once
    assert "2.3 Electronic access to documents" in council  # named in its own words
    reply = await ask("/themes acessibility")
    assert reply.error and "Did you mean Accessibility?" in reply.text
    assert "For example: /theme Accessibility" in reply.text
    # A list named in the singular is the list: "task force" is the groups and task forces.
    for wanted in ("task force", "task forces", "cross-sectoral group"):
        listed = (await ask(f"/themes {wanted}")).text
        assert "Cross-sectoral groups and task forces (11)" in listed, (wanted, listed)
        assert "Areas from the mapping of resolutions" not in listed, (wanted, listed)


async def test_themes_puts_sub_items_under_their_item_and_numbers_only_numbered_lists(ask):
    text = (await ask("/themes")).text
    assert "• 1 Participation\n  • 1.1 Remote participation\n" in text
    assert "• 8 Exchange of information on related study activities\n  • 8.1 " in text
    assert text.count("10 Sector membership") == 1  # numbered in the ISCG list only
    mapping = text.split("Areas from the mapping of resolutions")[1].split("\n\n")[0]
    assert "• Sector membership" in mapping


async def test_theme_details_cite_the_source(ask):
    reply = await ask("/theme climate change")
    assert "Sub-topics and study groups" in reply.text
    assert "e-waste: ITU-T: Study Group 5 - Q7/5" in reply.text
    assert "Resolution 182" in reply.text or "Resolution 60" in reply.text
    assert reply.footer == (
        "Source: ISCG progress report to TDAG on its meetings of April and 25 September 2019:"
        " 2. ISCG meeting during TSAG in September 2019 (Climate change as a pilot theme)"
        " and Annex 1.3, Table 1;"
        " Report to the Council on the implementation of Resolution 191 (Rev. Dubai, 2018):"
        " 3.5-3.6;"
        " ISCG progress report to TDAG on its meeting of 12 March 2021:"
        " 2. Strengthening cooperation and joint activities on issues of mutual interest"
    )
    assert ".txt" not in reply.text + reply.footer


async def test_an_item_of_the_numbered_list_is_found_by_its_number(ask):
    reply = await ask("/theme 1.2")
    assert reply.text.startswith("E-meetings, e-correspondence groups\n"), reply.text
    assert "(Read as item 1.2, E-meetings, e-correspondence groups.)" in reply.text
    reply = await ask("/who-coordinates item 8.1")
    assert reply.text.startswith("Improvement of interaction between working parties"), reply.text
    assert (await ask("/who-coordinates point 5")).text.startswith("Meeting planning: who")
    reply = await ask("/who-coordinates 5")  # a bare number is no item: Resolution 5? SG5?
    assert reply.error and 'I know no theme called "5"' in reply.text


async def test_theme_of_a_list_item_names_its_parent_and_the_parent_its_items(ask, services):
    async with services.db.read() as conn:
        child = next(theme for theme in await themes.all_themes(conn) if theme.parent_id)
        parent = await themes.get(conn, child.parent_id)
    assert parent is not None
    reply = await ask(f"/theme {child.name}")
    assert "Part of" in reply.text and parent.name in reply.text
    reply = await ask(f"/theme {parent.name}")
    assert "Items" in reply.text and child.name in reply.text


async def test_user_text_that_looks_like_sql_or_markup_is_harmless(ask):
    name = "Robert'); DROP TABLE people;-- <b>x</b>"
    reply = await ask(f"/set-coordinator gender | {name}", who=CHAIR)
    assert not reply.error, reply.text
    shown = await ask("/who-coordinates gender")
    assert "Robert'); DROP TABLE people;-- <b>x</b>" in shown.text
    assert (await ask("/who-coordinates accessibility")).text.startswith("Accessibility")


async def test_a_lookup_inside_a_transaction_never_waits_for_one_that_waits_for_it(services):
    """A batch of mail answers /who-coordinates inside its transaction while a chat
    lookup, arriving first, waits for that transaction to read the theme names."""
    index = directory.NameIndex()

    async def batch_of_mail() -> asyncio.Task[None]:
        async with services.db.transaction() as conn:
            chat = asyncio.create_task(index.ensure(services.db))
            await asyncio.sleep(0)  # the chat lookup now waits for the transaction
            await index.ensure(services.db)
            found = await directory.resolve(conn, index, "accessibility")
            assert found.theme is not None and found.theme.name == "Accessibility"
        return chat

    chat = await asyncio.wait_for(batch_of_mail(), 30)  # waiting for itself would never end
    await chat


async def test_suggestions_do_not_depend_on_the_order_names_were_met_in(services):
    """The order names are met in follows set iteration, which changes with every
    restart: the same question must still get the same closest themes."""
    index = directory.NameIndex()
    await index.ensure(services.db)
    queries = ("connectivity", "education", "chairmen", "children online", "ISCG", "domain names")
    before = [index.close(themes.name_key(query)) for query in queries]
    index._grams = {gram: names[::-1] for gram, names in index._grams.items()}
    assert [index.close(themes.name_key(query)) for query in queries] == before


async def test_a_person_named_as_two_people_are_is_asked_about_not_guessed(ask, services):
    # A TSAG member shares the chair's name; "Fabio Bigi" recorded the chair
    # (seeded, fabio.bigi@virgilio.it) as coordinator in the member's place.
    async with services.db.transaction() as conn:
        await people.create(conn, "Fabio Bigi", email="f.bigi@example.org", advisory_group="TSAG")
    reply = await ask("/set-coordinator accessibility | Fabio Bigi TSAG", who=CHAIR)
    assert reply.error
    assert reply.text == (
        'Two people are called "Fabio Bigi": Fabio Bigi <fabio.bigi@virgilio.it> (chair, Italy) '
        "and Fabio Bigi <f.bigi@example.org> (TSAG). Write the e-mail address of the one you "
        "mean.\nFor example: /set-coordinator Accessibility | Fabio Bigi "
        "<fabio.bigi@virgilio.it> TSAG"
    )
    assert "Coordinator: none recorded" in (await ask("/who-coordinates accessibility")).text
    done = await ask("/set-coordinator accessibility | Fabio Bigi <f.bigi@example.org>", who=CHAIR)
    assert done.text.startswith("Recorded Fabio Bigi <f.bigi@example.org> as coordinator")


async def test_a_chair_names_a_person_by_mention_or_handle_and_is_asked_when_several_answer(
    ask, services
):
    await services.meet("slack:U1JANE", "Jane Doe")
    await services.meet("slack:U2JANE", "Jane Roe")
    reply = await ask("/set-focal-point accessibility | ITU-T | @jane", who=CHAIR)
    assert reply.error
    assert reply.text == (
        'Two people answer to "@jane": Jane Doe (no e-mail address on record) and Jane Roe'
        " (no e-mail address on record). Write the full name or e-mail address of the one you"
        " mean.\nFor example: /set-focal-point Accessibility | ITU-T | Jane Doe"
    )
    assert "ITU-T: none recorded" in (await ask("/who-coordinates accessibility")).text
    # Picked from the @ menu (Slack sends <@U2JANE>), or her handle as Slack writes it.
    reply = await ask("/set-focal-point accessibility | ITU-T | <@U2JANE>", who=CHAIR)
    assert reply.text.startswith("Recorded Jane Roe as ITU-T focal point for Accessibility")
    reply = await ask("/set-coordinator gender | @jane.doe TSAG", who=CHAIR)
    assert reply.text.startswith("Recorded Jane Doe (TSAG) as coordinator for Gender"), reply.text
    reply = await ask("/set-focal-point gender | GS | @nobody", who=CHAIR)
    assert reply.error and "I know no one who answers to @nobody" in reply.text
    shown = (await ask("/who-coordinates gender")).text
    assert "Coordinator: Jane Doe (TSAG)" in shown and "@nobody" not in shown
    # Two people shown as "jane" on Slack: a third whose address is jane@... is not
    # surely the one meant (she was taken, as the first unique answer further down).
    await services.meet("slack:U3JANE", "jane")
    await services.meet("slack:U4JANE", "jane")
    async with services.db.transaction() as conn:
        await people.create(conn, "Jane Smith", email="jane@example.org")
    reply = await ask("/set-focal-point e-health | ITU-D | @jane", who=CHAIR)
    assert reply.error and reply.text.startswith('Two people are called "jane"'), reply.text
    assert "Jane Smith" not in (await ask("/who-coordinates e-health")).text


async def test_a_new_address_for_namesakes_goes_to_the_one_without_one(ask, services):
    async with services.db.transaction() as conn:
        await people.create(conn, "Li Wei", email="li.wei@example.org")
        tdag = await people.create(conn, "Li Wei", advisory_group="TDAG")
    reply = await ask("/set-focal-point gender | ITU-D | Li Wei", who=CHAIR)
    assert "Li Wei (TDAG, no e-mail address on record). Write the e-mail address" in reply.text
    reply = await ask("/set-focal-point gender | ITU-D | Li Wei <li.w@tdag.example>", who=CHAIR)
    assert reply.text.startswith("Recorded Li Wei <li.w@tdag.example> as ITU-D focal point")
    async with services.db.read() as conn:
        called = await people.by_name(conn, "Li Wei")
        assigned = await themes.assignments(conn, (await themes.by_slug(conn, "gender")).id)
    assert len(called) == 2, called  # no third Li Wei
    assert [(a.person.id, a.person.email) for a in assigned] == [(tdag.id, "li.w@tdag.example")]
