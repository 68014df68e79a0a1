/**
 * The words of the fake correspondence: subject and paragraph templates in French, English and
 * Russian with `{slot}` placeholders, greetings, sign-offs and slot values. Plain data; the
 * composer in `compose-text.ts` fills it from the seeded stream. Accents, «guillemets», œ, ’ and
 * non-breaking spaces are there on purpose: they exercise every charset path.
 */

/** Languages of the corpus. */
export type Lang = 'fr' | 'en' | 'ru';

export const SUBJECTS: Record<Lang, string[]> = {
  fr: [
    'Réunion de coordination de {jour}',
    'Ordre du jour – comité de pilotage du {date}',
    'Budget prévisionnel {mois}',
    'Déplacement à {ville} : logistique',
    'Compte rendu de la réunion du {date}',
    'Point presse de {jour} — éléments de langage',
    'Facture n° {num} – {org}',
    'Relecture du programme : chapitre « {theme} »',
    'Meeting à {ville} : besoins en bénévoles',
    'Demande de devis — sonorisation {ville}',
    'Accès VPN et nouveaux mots de passe',
    'Planning des équipes – semaine {semaine}',
    'Note de synthèse sur {theme}',
    'Invitation : déjeuner avec {org}',
    'Proposition commerciale {org}',
    'Contrat de prestation – version finale',
    'Urgent : validation avant {heure}',
    'Photos de {ville}',
    'Revue de presse du {date}',
    'Sondage de {mois} : premiers résultats',
    'Dons en ligne : point hebdomadaire',
    'Réservation de la salle {salle} – {date}',
    'Question sur ma note de frais',
    'Bienvenue dans l’équipe !',
    'Communiqué de presse — projet de texte',
    'Fiches thématiques « {theme} » à relire',
    'Tournée des régions : étape de {ville}',
    'Œuvres sociales et comité d’entreprise',
    'Relevé de décisions – bureau du {date}',
    'Billets de train {ville} ↔ Paris',
  ],
  en: [
    'Quarterly review – {month}',
    'Follow-up on our call',
    'Proposal for {org}',
    'Invoice #{num}',
    'Data sharing agreement – final draft',
    'Travel to {city} next week',
    'Meeting notes {date}',
    'Updated budget figures',
    'Photos from {city}',
    'Quick question about the contract',
    'Agenda for {day}',
    'Press kit for the {city} event',
    'Rescheduling our meeting',
    'Polling methodology',
    'Site visit in {city}',
    'NDA – signed copy',
    'Introduction: {org} <> Campagne Exemple',
    'Draft report for review',
    'Q{quarter} numbers',
    'Hotel booking confirmation – {city}',
  ],
  ru: [
    'Встреча в Париже',
    'Документы по проекту',
    'Счёт за {month}',
    'Фотографии с мероприятия',
    'Вопрос по договору',
    'Отчёт за неделю',
    'Срочно: согласование до {heure}',
  ],
};

export const GREETINGS: Record<Lang, string[]> = {
  fr: ['Bonjour {first},', 'Bonjour à tous,', 'Salut {first},', 'Bonsoir {first},', 'Madame, Monsieur,', 'Bonjour,'],
  en: ['Hi {first},', 'Dear {first},', 'Hello {first},', 'Hi all,', 'Good morning {first},', '{first},'],
  ru: ['Здравствуйте, {first}!', 'Добрый день, {first}!', 'Привет, {first}!'],
};

export const CLOSINGS: Record<Lang, string[]> = {
  fr: ['Bien cordialement,', 'Cordialement,', 'Bonne journée,', 'Merci d’avance,', 'Amitiés,', 'À très vite,', 'Bien à vous,', 'Belle soirée,'],
  en: ['Best regards,', 'Kind regards,', 'Thanks,', 'Best,', 'Cheers,', 'Many thanks,', 'All the best,'],
  ru: ['С уважением,', 'Спасибо,', 'Всего доброго,'],
};

export const PARAGRAPHS: Record<Lang, string[]> = {
  fr: [
    'Comme convenu lors de notre échange de {jour}, je te transmets les éléments pour la réunion du {date}. Merci de me faire part de tes remarques avant {heure}, afin que je puisse consolider une version définitive.',
    'La salle {salle} est réservée de {heure} à 18 h 30. Le traiteur confirme {n} couverts ; il reste à valider le menu végétarien et l’accès pour les personnes à mobilité réduite.',
    'Le budget prévisionnel s’élève à {montant} TTC, dont environ {pct} % pour la location du lieu et la sonorisation. Nous devrons arbitrer entre les deux devis reçus d’ici la fin de la semaine.',
    'J’ai relu le chapitre « {theme} » : la structure me paraît claire, mais certains chiffres datent de 2014 et doivent être mis à jour. Peux-tu vérifier les sources avec l’équipe du pôle études ?',
    'Pour le déplacement à {ville}, le train part de Paris Gare de Lyon à {heure}. Les billets sont au nom de chaque participant ; merci de prévoir une pièce d’identité et la carte de réduction le cas échéant.',
    'Nous avons reçu {n} inscriptions de bénévoles pour le meeting de {ville}. Il manque encore des volontaires pour l’accueil, le vestiaire et la distribution des tracts à la sortie.',
    'La facture n° {num} de {org} d’un montant de {montant} a bien été reçue. Elle sera réglée à trente jours, conformément aux conditions générales du contrat signé en {mois}.',
    'Suite à l’incident de ce matin, les mots de passe de la messagerie doivent être changés avant {jour}. Ne communiquez jamais vos identifiants par courriel, même à un membre de l’équipe informatique.',
    'Les premiers résultats du sondage de {mois} montrent une progression de {pct} points sur la question de la confiance. Attention toutefois à la marge d’erreur, qui reste importante sur les sous-échantillons.',
    'Je serai absent(e) du {date} au lundi suivant, avec un accès limité à mes courriels. En cas d’urgence, merci de contacter {person} qui assure l’intérim.',
    'Le communiqué doit partir au plus tard à {heure} pour être repris dans les éditions du soir. Merci de relire en particulier le deuxième paragraphe et la citation, qui me semblent encore trop longs.',
    'Pouvez-vous me confirmer le nombre exact de participants ? Le lieu nous demande une jauge définitive avant {jour}, faute de quoi la réservation de la salle annexe sera annulée.',
    'Ci-joint le document dont nous avons parlé, dans sa version de travail. Il ne doit pas circuler en dehors de l’équipe pour le moment : certains passages sont encore en discussion.',
    'J’ai eu {person} au téléphone : {org} est d’accord sur le principe, mais souhaite revoir le calendrier de livraison et le montant de l’acompte, fixé à {pct} % dans notre proposition.',
    'La revue de presse de ce matin est plutôt favorable ; trois quotidiens régionaux reprennent notre déplacement à {ville}, avec photos. L’article du journal national est plus critique sur le financement.',
    'Merci pour ton retour rapide. Je reprends les corrections dans la journée et je renvoie une version propre à tout le monde, avec les modifications en mode révision pour plus de lisibilité.',
    'Rappel : les notes de frais du mois de {mois} doivent être déposées avant le 5, justificatifs originaux à l’appui. Les tickets de carte bancaire seuls ne sont pas acceptés par le cabinet comptable.',
    'Pour la tournée des régions, l’étape de {ville} est prévue le {date}. Nous avons besoin d’un responsable sur place pour coordonner la sécurité, la presse locale et les élus qui souhaitent être présents.',
    'Le prestataire propose deux options pour la sonorisation : un forfait à {montant} incluant le technicien, ou une location sèche moins chère mais sans assistance le jour J. Je penche pour la première.',
    'Les dons en ligne ont atteint {montant} cette semaine, soit {n} contributions. Le panier moyen baisse légèrement, mais le nombre de nouveaux donateurs est en hausse depuis l’émission de {jour}.',
    'Pourrais-tu préparer une note de deux pages sur {theme}, avec les chiffres clés et trois propositions concrètes ? Elle servira de base à l’intervention prévue le {date} à {ville}.',
    'Le contrat de prestation a été relu par le service juridique. Deux clauses posent problème : la durée d’engagement (vingt-quatre mois) et l’absence de plafond sur les pénalités de retard.',
    'Je te confirme notre déjeuner de {jour} à {heure}, au restaurant habituel près de la gare. J’ai invité {person}, qui connaît bien le dossier et pourra répondre aux questions techniques.',
    'Attention : le fichier joint contient des données personnelles (noms, adresses, téléphones). Il doit être stocké sur le serveur sécurisé uniquement, et supprimé des postes de travail après usage.',
    'L’œuvre commandée pour l’affiche a été livrée ; l’artiste demande que son nom figure en bas à droite, en corps 8 minimum. Le bon à tirer est attendu chez l’imprimeur avant {heure}.',
    'Nous avons déjà consommé {pct} % de l’enveloppe prévue pour les déplacements. Il faudra sans doute réduire le nombre de trajets en avion au profit du train sur le deuxième trimestre.',
    'La réunion du bureau a acté trois décisions : le report du séminaire à {mois}, la création d’un groupe de travail sur {theme} et le recrutement d’un chargé de mission pour la communication numérique.',
    'Ça me va très bien. Je préviens l’équipe et je reviens vers toi dès que j’ai une réponse du côté de {org} — probablement pas avant la fin de la semaine, vu les délais habituels.',
  ],
  en: [
    'Following up on our call on {day}, please find the figures we discussed. Let me know if anything looks off before I circulate them more widely on {date}.',
    'From what I understand, the client is happy with the overall approach but would like a shorter timeline and a clearer breakdown of costs, especially on the data collection side.',
    'From our side, we can commit to delivering the first draft by {date}. The final report would follow about two weeks later, depending on how quickly we get your feedback.',
    'The budget currently stands at {amount}, which is about {pct}% over the initial estimate. Most of the difference comes from travel and the additional field work in {city}.',
    'I have booked rooms at the usual hotel in {city} for {n} nights. Breakfast is included; dinner on the first evening will be with the local team, so please keep it free.',
    'Our legal team reviewed the data sharing agreement and flagged two issues: the retention period and the lack of a clear procedure for deletion requests. I have suggested wording for both.',
    'Could you send me the signed copy of the NDA by {day}? We cannot share the detailed methodology until it is in place, which our compliance people insist on.',
    'From the numbers you sent, it looks like response rates dropped by about {pct} points in the last wave. It would be worth checking whether the questionnaire change had an effect.',
    'The press kit for the {city} event is almost ready. We are still waiting on high-resolution photos and a short bio for each speaker; the deadline for the printer is {date}.',
    'I am out of the office until {date} with limited access to email. For anything urgent, please contact {person}, who is fully up to speed on the project.',
    'Invoice #{num} for {amount} is attached. Payment terms are thirty days as per our agreement; please let me know if you need a purchase order number on it.',
    'Thanks for the quick turnaround. I made a few edits to the executive summary and tightened the conclusions; tracked changes are on so you can see exactly what moved.',
    'We would like to propose a short site visit in {city} on {date} to meet the venue manager and walk through the security plan. Would {time} work for your team?',
    'Attached are the meeting notes from {date}. Action items are at the end, with owners and due dates; shout if I have assigned anything to the wrong person.',
    'The Q{quarter} numbers are in: revenue is up {pct}% year on year, but margins are under pressure because of the new contracts. We will discuss this in more detail on {day}.',
    'From next week, all files should go through the shared drive rather than email attachments. Our IT team has set up folders per project and will send access details separately.',
    'I spoke with {person} this morning. They are keen to move ahead but need sign-off from their board, which only meets at the end of the month.',
    'Please treat the attached document as confidential. It is a working draft and some of the figures are still being verified with our partners in {city}.',
    'Sounds good to me. I will let the team know and get back to you as soon as I hear from {org}, probably not before the end of the week given their usual response times.',
    'We can offer two options: a fixed fee of {amount} including on-site support, or a lower daily rate billed on actual time spent. Most clients in your situation choose the first.',
    'The venue has confirmed capacity for {n} guests. Catering, audio-visual equipment and cloakroom staff are included; security will be provided by the organiser as discussed.',
    'I have attached a few photos from {city}. The lighting was not great, but they should be good enough for the newsletter and the social media posts.',
  ],
  ru: [
    'Как договаривались, направляю документы по проекту. Прошу посмотреть до {heure} и сообщить замечания.',
    'Встреча в Париже переносится на {date}. Билеты и гостиница уже забронированы, подробности пришлю отдельно.',
    'Счёт на сумму {amount} оплачен. Копию платёжного поручения прилагаю.',
    'Фотографии с мероприятия в приложении. Качество не идеальное, но для отчёта подойдёт.',
  ],
};

/** Short first lines of replies, before any other paragraph. */
export const REPLY_LEADS: Record<Lang, string[]> = {
  fr: [
    'Merci {first}, c’est noté.',
    'Parfait, je m’en occupe.',
    'D’accord pour moi.',
    'Très bien, merci pour ce point.',
    'Je regarde ça dans la journée.',
    'Bien reçu, merci.',
    'Attention, il y a une erreur dans le deuxième tableau.',
    'Oui, allons-y.',
  ],
  en: ['Thanks {first}, noted.', 'Great, I will take care of it.', 'Works for me.', 'Thanks for the update.', 'Will look at this today.', 'Got it, thanks.', 'One small correction below.'],
  ru: ['Спасибо, получил.', 'Хорошо, договорились.', 'Посмотрю сегодня.'],
};

export const CITIES_FR = ['Lyon', 'Marseille', 'Lille', 'Bordeaux', 'Nantes', 'Strasbourg', 'Rennes', 'Montpellier', 'Besançon', 'Pau', 'Orléans', 'Angers', 'Clermont-Ferrand', 'Nîmes', 'Saint-Étienne', 'Béziers'];
export const CITIES_EN = ['New York', 'Boston', 'London', 'Chicago', 'Manchester', 'Toronto', 'Brussels', 'Berlin', 'Geneva', 'Washington'];
export const THEMES_FR = ['l’éducation', 'la santé', 'le numérique', 'l’Europe', 'l’emploi des jeunes', 'la transition écologique', 'la sécurité', 'le pouvoir d’achat', 'la culture', 'l’agriculture', 'les retraites', 'la fonction publique'];
export const ROOMS = ['Voltaire', 'Condorcet', 'Jaurès', 'Simone-Veil', 'Molière', 'Descartes', 'Colette', 'Hugo'];
export const WEEKDAYS_FR = ['lundi', 'mardi', 'mercredi', 'jeudi', 'vendredi'];
export const WEEKDAYS_EN = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday'];
export const MONTHS_FR = ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre'];
export const MONTHS_EN = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
export const MONTHS_RU = ['январь', 'февраль', 'март', 'апрель', 'май', 'июнь', 'июль', 'август', 'сентябрь', 'октябрь', 'ноябрь', 'декабрь'];

/** Titles of attached and loose documents, by language; the extension is added by the factory. */
export const DOCUMENT_TITLES: Record<Lang, string[]> = {
  fr: [
    'Compte-rendu réunion {date}',
    'Note de synthèse – {theme}',
    'Budget prévisionnel {mois}',
    'Ordre du jour comité de pilotage',
    'Planning équipes semaine {semaine}',
    'Proposition commerciale {org}',
    'Contrat de prestation v{n}',
    'Fiche thématique {theme}',
    'Liste des bénévoles {ville}',
    'Revue de presse {date}',
    'Relevé de décisions bureau',
    'Éléments de langage',
    'Note de frais {mois}',
    'Devis sonorisation {ville}',
  ],
  en: ['Meeting notes {date}', 'Budget {month}', 'Proposal {org}', 'Draft report v{n}', 'Data sharing agreement', 'Invoice {num}', 'Q{quarter} results', 'Event plan {city}', 'Methodology note'],
  ru: ['Отчёт', 'Договор', 'Счёт {num}', 'Смета'],
};

/** Lines starting with "From " in running text, so that mbox writers must quote some body lines. */
export const FROM_LINES = [
  'From what I can see, nothing has changed since last week.',
  'From my side, no objection.',
  'From Monday on, please use the new address for all invoices.',
  'From the minutes: "the committee approved the budget unanimously".',
];
