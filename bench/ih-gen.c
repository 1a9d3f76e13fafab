/* ih-gen.c — synthetic insight for benchmarks
 *
 * Copyright 2026 Insight Hub contributors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib.h>
#include <glib/gstdio.h>

#include <errno.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Everything random comes from one PCG32 stream seeded from --seed, so a
 * given seed and row count always give the same file, on any machine and
 * whatever GLib's own generator does. */

typedef struct
{
  guint64 state;
  guint64 inc;
} Rng;

static inline guint32
rng_next (Rng *rng)
{
  guint64 old = rng->state;
  guint32 xorshifted;
  guint32 rot;

  rng->state = old * G_GUINT64_CONSTANT (6364136223846793005) + rng->inc;
  xorshifted = (guint32) (((old >> 18) ^ old) >> 27);
  rot = (guint32) (old >> 59);

  return (xorshifted >> rot) | (xorshifted << ((32 - rot) & 31));
}

static void
rng_seed (Rng    *rng,
          guint64 seed)
{
  rng->state = 0;
  rng->inc = (G_GUINT64_CONSTANT (0xda3e39cb94b95bdb) << 1) | 1;
  rng_next (rng);
  rng->state += seed ^ G_GUINT64_CONSTANT (0x853c49e6748fea9b);
  rng_next (rng);
}

/* Uniform in [0, n) without division */
static inline guint32
rng_below (Rng    *rng,
           guint32 n)
{
  return (guint32) (((guint64) rng_next (rng) * n) >> 32);
}

static inline double
rng_double (Rng *rng)
{
  return rng_next (rng) * (1.0 / 4294967296.0);
}

/* Percent chance */
static inline gboolean
rng_chance (Rng  *rng,
            guint percent)
{
  return rng_below (rng, 100) < percent;
}

/* A word list with a sampling distribution. Specs are '|'-separated; an
 * item may end in "=WEIGHT", otherwise item i gets weight 1/(i + q), a
 * Zipf-like law, so the order in each list is the frequency order and the
 * vocabulary as a whole gets the long tail that real text has. */
typedef struct
{
  char   **items;   /* NULL for lists only picked by index */
  guint32 *cdf;
  guint    n;
} Lex;

static void
lex_build (Lex    *lex,
           char  **items,
           double *weights,
           guint   n)
{
  double total = 0;
  double acc = 0;

  g_assert (n > 0);

  for (guint i = 0; i < n; i++)
    total += weights[i];

  lex->items = items;
  lex->n = n;
  lex->cdf = g_new (guint32, n);
  for (guint i = 0; i < n; i++)
    {
      double x;

      acc += weights[i];
      x = acc / total * 4294967296.0;
      lex->cdf[i] = x >= 4294967295.0 ? G_MAXUINT32 : (guint32) x;
    }
  lex->cdf[n - 1] = G_MAXUINT32;
}

static gboolean
parse_weight (char   *item,
              double *weight)
{
  char *eq = strrchr (item, '=');
  char *end = NULL;
  double w;

  if (eq == NULL || eq[1] == '\0')
    return FALSE;

  w = g_ascii_strtod (eq + 1, &end);
  if (end == NULL || *end != '\0')
    return FALSE;

  *eq = '\0';
  *weight = w;
  return TRUE;
}

static void
lex_init (Lex        *lex,
          const char *spec,
          double      q)
{
  char **items = g_strsplit (spec, "|", -1);
  guint n = g_strv_length (items);
  g_autofree double *weights = g_new (double, n);

  for (guint i = 0; i < n; i++)
    if (!parse_weight (items[i], &weights[i]))
      weights[i] = 1.0 / (i + q);

  lex_build (lex, items, weights, n);
}

static inline guint
lex_pick_index (const Lex *lex,
                Rng       *rng)
{
  guint32 r = rng_next (rng);
  guint lo = 0;
  guint hi = lex->n - 1;

  while (lo < hi)
    {
      guint mid = (lo + hi) / 2;

      if (r < lex->cdf[mid])
        hi = mid;
      else
        lo = mid + 1;
    }

  return lo;
}

static inline const char *
lex_pick (const Lex *lex,
          Rng       *rng)
{
  return lex->items[lex_pick_index (lex, rng)];
}

/* ---------------------------------------------------------------------- */
/* The coding framework. Each theme has its own nouns, complaints and
 * praise, most frequent first, so that texts coded with a theme really use
 * its words and theme filters correlate with the full text. */

typedef struct
{
  const char *name;
  const char *topic;     /* lower case, for activity titles */
  double      weight;
  const char *nouns;
  const char *issues;
  const char *goods;
} ThemeSpec;

static const ThemeSpec theme_specs[] = {
  { "Access to services", "access to services", 9,
    "an appointment|services|access|the surgery|the clinic|opening hours|the phone line|a referral|"
    "the booking system|a call back|the front desk|the hub|out of hours|the walk-in centre|"
    "evening appointments|weekend appointments|the minor injuries unit|a home visit|"
    "the triage form|the online form|eConsult|the switchboard|signposting|self-referral",
    "not being able to get through on the phone|being told to ring back the next day|"
    "the online form closing by 9am|having to explain everything again to the receptionist|"
    "the clinic moving further away|no evening or weekend appointments for people who work|"
    "being passed from one service to another|nobody answering the phone for %d|"
    "having to chase every single referral myself",
    "getting seen the same day|a quick call back from %s|being able to book online|"
    "a walk-in clinic close to home" },
  { "GP appointments", "GP access", 10,
    "an appointment|the GP|the surgery|the doctor|the receptionist|the practice|the 8am queue|"
    "a telephone appointment|a face-to-face appointment|the GP practice|the practice nurse|"
    "a call back|a same-day appointment|a routine appointment|the duty doctor|a locum|"
    "the practice manager|the appointment system|repeat appointments|triage|"
    "a physician associate|the nurse practitioner|eConsult|the patient participation group|"
    "apointment",
    "ringing at 8am and being number %0 in the queue|all the appointments being gone by 8.15|"
    "waiting %d for a routine appointment|only being offered a phone call when I needed to be seen|"
    "seeing a different doctor every time|"
    "the receptionist asking personal questions before booking|"
    "being told to ring back tomorrow|a %d wait to see my own GP|"
    "being unable to book an appointment more than a day ahead",
    "a same-day appointment|the GP phoning back within the hour|seeing the same doctor each time|"
    "the practice nurse taking time to explain" },
  { "Waiting times", "waiting lists", 10,
    "the waiting list|the wait|waiting times|a referral|the operation|surgery|the consultant|"
    "an outpatient appointment|a hip replacement|a knee replacement|a cataract operation|a scan|"
    "an MRI|test results|the letter|a follow-up|the backlog|the waiting room|elective surgery|"
    "the clinic letter|the cancellation list|a hernia repair|a colonoscopy",
    "waiting %d for an operation|being on the waiting list for %d with no update|"
    "the appointment letter arriving after the date|chasing test results for %d|"
    "being in pain the whole time I was waiting|the operation being cancelled on the day|"
    "no one telling us where we were on the list|sitting in the waiting room for %d",
    "being offered an earlier date from the cancellation list|"
    "getting test results back within a week|a clear letter explaining the wait" },
  { "Urgent and emergency care", "urgent and emergency care", 7,
    "A&E|the emergency department|an ambulance|the corridor|a trolley|the paramedics|"
    "the urgent treatment centre|minor injuries|the triage nurse|the waiting area|"
    "emergency care|the admission|the ward|majors|resus|the assessment unit|handover|"
    "the emergency village",
    "waiting %d in A&E|spending the night on a trolley in the corridor|"
    "the ambulance taking %d to arrive|no water or food while we waited|"
    "being sent home from A&E at 3am with no way to get back|"
    "nobody checking on %f in the waiting area",
    "the paramedics being brilliant|being triaged quickly|A&E staff who kept us informed" },
  { "Transport", "transport to hospital", 8,
    "the bus|transport|patient transport|a taxi|travel|the journey|the train|a lift|the car|"
    "the bus route|community transport|volunteer drivers|my bus pass|the timetable|fuel|"
    "the hospital shuttle|journey times|mileage|the last bus|park and ride",
    "two buses and %d each way to get to %H|patient transport not turning up|"
    "the bus route to the hospital being cut|a taxi costing £%0 each way|"
    "relying on %f to give me a lift|no bus back after an evening appointment",
    "the volunteer driver scheme|the community transport service|"
    "being offered an appointment closer to home" },
  { "Parking", "hospital parking", 4,
    "parking|the car park|parking charges|a blue badge|spaces|the parking machine|the ticket|"
    "the disabled bays|the multi-storey|a permit|the parking app",
    "driving round the car park for %d looking for a space|paying £%0 to park while visiting %f|"
    "the parking machine only taking the app|the disabled bays always being full|"
    "getting a fine because the clinic ran late",
    "free parking for carers|plenty of disabled bays near the entrance" },
  { "Mental health", "mental health", 9,
    "mental health|anxiety|depression|counselling|the crisis team|therapy|talking therapies|"
    "CAMHS|the crisis line|a psychiatrist|the community mental health team|self-harm|wellbeing|"
    "a support worker|crisis support|the waiting list for therapy|an eating disorder|psychosis|"
    "a medication review|the recovery college|peer support|the safe haven|the crisis café|"
    "bipolar|PTSD|panic attacks|OCD",
    "waiting %d for talking therapies|being told I wasn't unwell enough for help|"
    "the crisis line not answering|being discharged after six sessions with nothing in place|"
    "having to tell my story again to every new worker|only being offered an app|"
    "A&E being the only place to go in a crisis",
    "the safe haven being open late|a support worker who really listened|"
    "peer support groups that helped me feel less alone|the crisis café" },
  { "Communication", "communication", 9,
    "communication|letters|information|phone calls|text messages|emails|updates|the letter|"
    "results|the patient portal|jargon|leaflets|an explanation|contact details|the switchboard|"
    "voicemail|the answerphone",
    "letters arriving after the appointment|nobody phoning back when they said they would|"
    "too much jargon in the letters|texts from a number you can't reply to|"
    "different departments not talking to each other|"
    "finding out results from the app before anyone explained them",
    "a clear letter that explained everything|being kept updated by text|"
    "staff explaining things in plain English" },
  { "Staff attitude", "staff attitude", 8,
    "staff|attitude|the receptionist|the nurses|the doctors|manner|kindness|compassion|respect|"
    "rudeness|the way we were spoken to|the nurse|the consultant|the healthcare assistant|"
    "the porters|bedside manner|tone",
    "the receptionist being rude and dismissive|feeling like a nuisance for asking questions|"
    "staff talking over me to my daughter|being spoken to like a child|"
    "nobody introducing themselves",
    "staff who were kind and patient|the nurses going out of their way|"
    "a consultant who treated me with respect|everyone introducing themselves by name|"
    "the porters who made us laugh" },
  { "Digital exclusion", "digital access", 6,
    "the NHS App|online|the internet|a smartphone|the app|the website|online forms|digital|"
    "wifi|broadband|passwords|a video call|a QR code|email|a laptop|mobile data|the portal|"
    "online booking|digital skills",
    "everything being online when I don't have the internet|"
    "not being able to afford data for video calls|the app logging me out every time|"
    "being told to scan a QR code without a smartphone|"
    "no signal for video appointments in the village|forms that only work on a computer",
    "help from the digital champion at the library|"
    "being able to order prescriptions on the NHS App|a paper option still being available" },
  { "Carers", "carers", 6,
    "carers|an unpaid carer|respite|a carer's assessment|young carers|my caring role|"
    "carer's allowance|breaks|support for carers|the carers centre|a sitting service|"
    "a carer's card|burnout",
    "not being recognised as a carer|waiting %d for a carer's assessment|no respite for %d|"
    "being left out of decisions about %f|having to give up work to care for %f|"
    "young carers missing school",
    "the carers centre being a lifeline|a carer's assessment that led to real help|"
    "a sitting service so I could have a break" },
  { "Discharge", "hospital discharge", 5,
    "discharge|the discharge letter|going home|the discharge lounge|a care package|"
    "medication to take home|the discharge team|reablement|getting home from hospital|"
    "delayed discharge|a step-down bed|the follow-up|transport home|discharge planning",
    "being discharged late at night with no transport|"
    "waiting all day in the discharge lounge for medication|"
    "going home without a care package in place|no one telling the GP about the discharge|"
    "%f being discharged too early and readmitted within a week|"
    "the discharge letter being full of mistakes",
    "the discharge team arranging everything before we left|"
    "reablement visits for the first two weeks|a phone call the day after discharge" },
  { "Cost of living", "cost of living", 6,
    "the cost of living|money|bills|heating|energy bills|the food bank|prescription charges|"
    "debt|benefits|universal credit|rent|fuel costs|food|poverty|free school meals|"
    "warm spaces|the budget",
    "choosing between heating and eating|not being able to afford prescription charges|"
    "the cost of getting to appointments|cutting back on food to pay the bills|"
    "%f not turning the heating on all winter|"
    "not being able to take unpaid time off for appointments",
    "the warm space at the library|help with prescription costs|"
    "advice from Citizens Advice at the surgery" },
  { "Pharmacy", "pharmacy", 5,
    "the pharmacy|the pharmacist|my prescription|the chemist|repeat prescriptions|medicines|"
    "stock|shortages|the queue|Pharmacy First|blister packs|delivery|over the counter medicines|"
    "the dispensary|the pharmacy closure|opening hours|a medicines review|perscription",
    "going to three pharmacies to find my medication|repeat prescriptions never being ready|"
    "the local pharmacy closing|queues out of the door at the chemist|"
    "medication shortages for %d|the pharmacy being shut at lunchtime",
    "the pharmacist giving really good advice|Pharmacy First saving me a GP appointment|"
    "prescriptions being delivered to the door" },
  { "Dentistry", "NHS dentistry", 5,
    "the dentist|dental care|an NHS dentist|the dental practice|toothache|a check-up|a filling|"
    "an extraction|the emergency dentist|the dental waiting list|the orthodontist|"
    "a private dentist|dentures|dental hygiene|an abscess|NHS dental care",
    "no NHS dentist taking new patients within %0 miles|"
    "being on a dental waiting list for %d|paying privately because there was no other option|"
    "pulling out my own tooth|being removed from the practice list|"
    "the children not having a check-up for %d",
    "finally finding an NHS dentist|the emergency dental line getting me seen the same day" },
  { "Maternity", "maternity services", 5,
    "maternity care|the midwife|the birth|pregnancy|labour|antenatal care|postnatal care|"
    "the labour ward|the health visitor|the scan|my birth plan|breastfeeding|the baby|"
    "the birth centre|a home birth|the induction|a caesarean|the neonatal unit|"
    "the maternity unit|continuity of carer|a doula",
    "seeing a different midwife at every appointment|being left alone on the postnatal ward|"
    "partners being sent home at night|no breastfeeding support after the birth|"
    "the birth centre being closed when I went into labour|"
    "feeling rushed at the antenatal appointments",
    "the midwives being amazing|a named midwife all the way through|"
    "breastfeeding support at the baby café|the birth centre feeling calm and safe" },
  { "Children and young people", "children and young people", 5,
    "children|young people|school|CAMHS|the school nurse|paediatrics|teenagers|parents|kids|"
    "the youth club|SEND support|an EHCP|the children's ward|the health visitor|students|"
    "college|nursery|the crèche",
    "waiting %d for CAMHS|the school not understanding my son's needs|"
    "being too old for children's services and too young for adults|"
    "no youth services left in %P|parents not knowing where to go for help",
    "the school nurse drop-in|a youth worker who really got it|"
    "the children's ward staff being brilliant with my daughter" },
  { "Older people", "older people", 5,
    "older people|the elderly|falls|dementia|the memory clinic|the care home|frailty|"
    "my pension|isolation|a hearing aid|a walking frame|the day centre|the lunch club|"
    "home care|a bungalow",
    "the day centre closing|%f waiting on the floor for %d after a fall|"
    "the memory clinic wait being %d|older people being left behind by online booking|"
    "hearing aids taking %d to be fitted",
    "the lunch club at the village hall|the falls team visiting at home|"
    "dementia support workers who were patient" },
  { "Social care", "social care", 6,
    "social care|a care package|home care|the carers|the care home|a social worker|the council|"
    "the care agency|domiciliary care|an assessment|funding|care fees|continuing healthcare|"
    "a personal budget|direct payments|reablement|care visits",
    "care visits of fifteen minutes|a different carer every day|waiting %d for a social worker|"
    "having to sell the house to pay for the care home|"
    "the care agency cancelling at short notice|"
    "arguments between health and the council over who pays",
    "carers who became like family|a social worker who sorted everything|"
    "direct payments giving us control" },
  { "Learning disabilities", "learning disability services", 3,
    "learning disability|easy read|the annual health check|reasonable adjustments|"
    "a hospital passport|the support worker|day services|autism|a communication book|"
    "the learning disability nurse|supported living|Makaton",
    "no easy read letters|reasonable adjustments not being made|"
    "the annual health check being missed|"
    "staff talking to the support worker instead of to my brother|"
    "a noisy waiting room with no quiet space",
    "the learning disability nurse making all the difference|"
    "an easy read leaflet that made sense|a quiet room while we waited" },
  { "Neurodiversity", "autism and ADHD", 3,
    "autism|ADHD|a diagnosis|the assessment|being neurodivergent|sensory needs|meltdowns|"
    "masking|an autism assessment|ADHD medication|the pathway|right to choose|"
    "occupational therapy",
    "waiting %d for an autism assessment|being refused an ADHD assessment by the GP|"
    "sensory overload in the waiting room|ADHD medication shortages|"
    "no support after diagnosis",
    "finally getting a diagnosis and understanding myself|the sensory-friendly appointment" },
  { "Cancer care", "cancer services", 4,
    "cancer|the diagnosis|chemotherapy|radiotherapy|oncology|the two-week wait|a biopsy|"
    "screening|a mammogram|the clinical nurse specialist|Macmillan|the tumour|scan results|"
    "the treatment plan|the cancer centre|remission|palliative treatment",
    "waiting %d for biopsy results|the two-week wait taking six weeks|"
    "travelling to %H every day for radiotherapy|being told the diagnosis over the phone|"
    "screening letters going to the wrong address",
    "the clinical nurse specialist always answering my calls|the Macmillan centre|"
    "the chemotherapy nurses who were wonderful" },
  { "Long-term conditions", "long-term conditions", 5,
    "diabetes|asthma|COPD|heart failure|arthritis|long COVID|epilepsy|kidney disease|"
    "chronic pain|fibromyalgia|blood tests|the annual review|insulin|my inhaler|"
    "blood pressure|my condition|self-management|the specialist nurse|the pain clinic|ME",
    "no annual review for %d|blood tests being done at a different site each time|"
    "the long COVID clinic wait of %d|being told chronic pain is just something to live with|"
    "the diabetes nurse leaving and not being replaced",
    "the specialist nurse helping me manage my diabetes|the pulmonary rehab course|"
    "a care plan I actually understood" },
  { "End of life care", "end of life care", 3,
    "end of life care|the hospice|palliative care|bereavement|dying|the funeral|"
    "the hospice team|an advance care plan|a DNACPR form|a syringe driver|the district nurses|"
    "the last days|grief",
    "%f dying in a busy corridor|no district nurse overnight at the end|"
    "nobody talking to us about the plan|waiting hours for pain relief at home|"
    "no bereavement support afterwards",
    "the hospice team being incredible|being able to be with %f at the end|"
    "the district nurses who came at 2am" },
  { "Outpatients", "outpatient services", 4,
    "outpatients|the clinic|the consultant|an outpatient appointment|the follow-up|"
    "the clinic letter|physiotherapy|audiology|dermatology|cardiology|ophthalmology|"
    "orthopaedics|rheumatology|urology|phlebotomy|an X-ray|an ultrasound|ENT|chiropody|"
    "podiatry|gynaecology|neurology",
    "clinics running %d late|follow-up appointments being cancelled twice|"
    "being sent to %H for a five-minute appointment|"
    "the blood test clinic having a queue out the door|waiting %d for physiotherapy",
    "the physiotherapist getting me walking again|a virtual follow-up that saved a journey" },
  { "Community services", "community services", 4,
    "the community nurse|the district nurse|the health visitor|the community hospital|"
    "the minor injuries unit|community services|the occupational therapist|"
    "wheelchair services|the continence service|the podiatrist|speech and language therapy|"
    "community physio|the health centre|the clinic in the village",
    "the community hospital beds closing|waiting %d for a wheelchair|"
    "the minor injuries unit only opening in the day|"
    "the district nurses being stretched so thin",
    "the community hospital being close to home|the district nurse who came every day|"
    "the occupational therapist sorting rails for the bathroom" },
  { "Continuity of care", "continuity of care", 4,
    "continuity|the same doctor|my records|the handover|a named GP|a care coordinator|"
    "my notes|the team|referrals|joined-up care|shared records",
    "seeing a different doctor every time|having to repeat my history at every appointment|"
    "notes not being passed between the hospital and GP|"
    "nobody taking overall responsibility",
    "having a named GP who knows me|one care coordinator who joined everything up" },
  { "Information and signposting", "information and signposting", 4,
    "information|signposting|a leaflet|the website|the directory|advice|the helpline|"
    "the social prescriber|Healthwatch|local support|voluntary groups|community groups|"
    "the library|the noticeboard",
    "not knowing what services exist|being given a leaflet and sent away|"
    "the website being out of date|phoning numbers that no longer work",
    "the social prescriber linking me to a walking group|"
    "Healthwatch helping me find the right service|"
    "a noticeboard in the surgery with local groups" },
  { "Involvement in decisions", "involvement and co-production", 3,
    "decisions|the consultation|involvement|co-production|the patient voice|feedback|"
    "engagement|choice|having a say|the patient participation group|lived experience|"
    "being listened to|the survey|shared decision making",
    "the decision already being made before the consultation|"
    "filling in surveys and never hearing back|not being asked about my own treatment|"
    "consultations being held in working hours",
    "being involved in planning the new service|"
    "hearing what changed because of our feedback|the PPG being taken seriously" },
  { "Equality and inclusion", "health inequalities", 3,
    "inequalities|racism|discrimination|equality|inclusion|culture|faith|deprivation|"
    "Gypsy and Traveller communities|refugees|asylum seekers|LGBTQ+ people|trans people|"
    "migrants|GP registration|proof of address",
    "being refused registration without proof of address|"
    "feeling judged because of where we live|staff not understanding our culture|"
    "trans patients being misgendered",
    "the outreach bus visiting the Traveller site|staff who respected our faith" },
  { "Language and interpreting", "interpreting", 2,
    "an interpreter|translation|language|English|Polish|Urdu|Arabic|Romanian|Portuguese|"
    "Bengali|Punjabi|British Sign Language|BSL|translated leaflets|the language line|"
    "a telephone interpreter",
    "using my child as an interpreter|the telephone interpreter dropping out|"
    "no BSL interpreter being booked|letters only in English",
    "a face-to-face interpreter being booked in advance|"
    "translated information about vaccinations" },
  { "Housing and homelessness", "housing and health", 2,
    "housing|damp|mould|homelessness|temporary accommodation|the hostel|the landlord|"
    "council housing|overcrowding|rough sleeping|eviction|accomodation",
    "damp and mould making the children's asthma worse|"
    "being in temporary accommodation with no GP|the landlord ignoring repairs|"
    "not being able to register with a GP without an address",
    "the homeless health team visiting the hostel|a housing officer who listened" },
  { "Prevention and healthy living", "healthy living", 3,
    "exercise|healthy eating|smoking|weight|weight management|the stop smoking service|"
    "alcohol|walking groups|the gym|an NHS Health Check|prevention|obesity|diet|"
    "the leisure centre|social prescribing|parkrun",
    "the weight management course being full|no stop smoking service any more|"
    "the leisure centre being too expensive|being told to lose weight with no support",
    "the walking group on Tuesdays|the stop smoking advisor|"
    "a free NHS Health Check at the market" },
  { "NHS 111", "NHS 111", 3,
    "111|NHS 111|the call handler|out of hours|a clinical call back|the algorithm|111 online|"
    "the questions",
    "waiting %d for 111 to ring back|being asked the same questions three times|"
    "111 sending an ambulance for something minor|being told to go to A&E anyway",
    "111 booking me straight into the urgent treatment centre|"
    "a nurse on 111 who reassured me" },
  { "Ambulance services", "ambulance services", 3,
    "the ambulance|the paramedic|999|response times|the handover|the ambulance queue|"
    "the air ambulance|first responders|community first responders",
    "%f waiting %d for an ambulance|ambulances queued outside the hospital|"
    "being told to make our own way in",
    "the paramedics being calm and kind|community first responders arriving in minutes" },
  { "Loneliness and isolation", "loneliness and isolation", 3,
    "loneliness|isolation|friends|community|neighbours|befriending|social groups|"
    "the lunch club|church|the village hall|a phone buddy|the men's shed|the coffee morning|"
    "the community café",
    "not speaking to anyone for days|the bus cuts leaving us cut off|"
    "the community centre closing|feeling invisible since my wife died",
    "the befriending service calling every week|"
    "the men's shed giving me a reason to get up|the coffee morning at the church" },
  { "Covid-19", "COVID-19", 3,
    "covid|COVID-19|the pandemic|lockdown|masks|testing|shielding|visiting restrictions|PPE|"
    "long COVID|self-isolation",
    "not being allowed to visit %f in hospital|"
    "appointments cancelled during lockdown never being rebooked|"
    "shielding for %d with no support|mixed messages about masks",
    "staff working so hard during the pandemic|"
    "the volunteers delivering food while we were shielding" },
  { "Vaccination", "vaccinations", 3,
    "vaccination|the vaccine|my jab|the booster|the flu jab|immunisations|"
    "the vaccination centre|a pop-up clinic|the vaccine bus|MMR|the national booking system",
    "the vaccination centre being %0 miles away|not being able to book a booster online|"
    "conflicting information about the vaccine|no walk-in vaccinations near %P",
    "the pop-up clinic at the mosque|the vaccine bus coming to %P|"
    "volunteers at the vaccination centre being so friendly" },
  { "Complaints", "complaints and PALS", 3,
    "my complaint|PALS|the complaints process|an apology|the response|the investigation|"
    "the ombudsman|concerns|the feedback form|the complaints team|lessons learned",
    "waiting %d for a response to my complaint|"
    "a complaint response that didn't answer the question|PALS never ringing back|"
    "being afraid that complaining would affect our care",
    "PALS sorting things out quickly|a proper apology and an explanation" },
  { "Workforce and staffing", "NHS workforce", 4,
    "staffing|staff shortages|agency staff|recruitment|burnout|workload|the nurses|vacancies|"
    "the rota|morale|strikes|junior doctors|training|retention",
    "wards being short-staffed every night|agency staff who didn't know the ward|"
    "staff clearly exhausted and stretched|strikes cancelling my operation twice",
    "staff doing their best despite everything|a ward that felt well run" },
  { "Rural access", "rural health", 3,
    "rural areas|the village|the countryside|the farm|distance|the village surgery|"
    "the mobile library|the branch surgery|remote communities|country lanes|"
    "the farming community",
    "the branch surgery in the village closing|being %0 miles from the nearest hospital|"
    "no public transport in the village|farmers not having time to see a doctor",
    "the mobile clinic coming to the village|the village surgery knowing everyone" },
  { "Buildings and facilities", "buildings and facilities", 2,
    "the building|the waiting room|the toilets|signage|accessibility|the lifts|the ramp|"
    "the hearing loop|wheelchair access|the hospital café|seating|cleanliness|hospital food|"
    "the canteen",
    "the lift being out of order for %d|signs that make no sense|"
    "no hearing loop at reception|the toilets being dirty",
    "a lovely clean new building|the hospital café volunteers|clear signs from the car park" },
  { "Substance misuse", "drug and alcohol services", 2,
    "alcohol|drugs|addiction|recovery|methadone|the drug and alcohol service|detox|"
    "the needle exchange|rehab|the recovery café|sobriety",
    "waiting %d for a detox bed|being judged by staff because of my addiction|"
    "the recovery service moving out of town",
    "the recovery café|a key worker who never gave up on me" },
};

/* ---------------------------------------------------------------------- */
/* Places: real ICS areas and places, with localities and hospitals. */

typedef struct
{
  const char *name;
  const char *localities;
} PlaceSpec;

typedef struct
{
  const char *name;
  double      weight;
  const char *hospitals;
  PlaceSpec   places[8];
} IcsSpec;

static const IcsSpec ics_specs[] = {
  { "Gloucestershire", 13,
    "Gloucestershire Royal Hospital|Cheltenham General Hospital|Stroud General Hospital|"
    "the Vale Community Hospital|Tewkesbury Community Hospital|Cirencester Hospital|"
    "the Forest of Dean Community Hospital|the Dilke",
    { { "Gloucester", "Barton and Tredworth|Matson|Quedgeley|Kingsholm|Tuffley" },
      { "Cheltenham", "Hesters Way|St Paul's|Charlton Kings|Leckhampton" },
      { "Stroud", "Stonehouse|Nailsworth|Dursley|Painswick" },
      { "Forest of Dean", "Cinderford|Coleford|Lydney|Newent" },
      { "Tewkesbury", "Bishop's Cleeve|Winchcombe|Northway" },
      { "Cotswolds", "Cirencester|Tetbury|Bourton-on-the-Water|Moreton-in-Marsh" },
      { NULL } } },
  { "Cheshire and Merseyside", 30,
    "the Royal Liverpool|Aintree Hospital|Alder Hey|Arrowe Park Hospital|"
    "the Countess of Chester|Leighton Hospital|Macclesfield Hospital|Whiston Hospital|"
    "Southport Hospital|Clatterbridge|Liverpool Women's Hospital",
    { { "Cheshire West", "Chester|Ellesmere Port|Northwich|Winsford" },
      { "Cheshire East", "Crewe|Macclesfield|Congleton|Nantwich" },
      { "Wirral", "Birkenhead|Wallasey|West Kirby" },
      { "Liverpool", "Toxteth|Anfield|Speke|Garston|Walton" },
      { "Knowsley", "Kirkby|Huyton|Halewood" },
      { "Sefton", "Bootle|Southport|Crosby" },
      { NULL } } },
  { "Dorset", 16,
    "the Royal Bournemouth|Poole Hospital|Dorset County Hospital|"
    "Weymouth Community Hospital|Westminster Memorial|Bridport Community Hospital|"
    "Blandford Community Hospital",
    { { "Bournemouth", "Boscombe|Kinson|Westbourne|Winton" },
      { "Poole", "Hamworthy|Canford Heath|Parkstone" },
      { "Weymouth", "Portland|Littlemoor|Westham" },
      { "Dorchester", "Poundbury|Fordington|Crossways" },
      { "North Dorset", "Blandford Forum|Gillingham|Shaftesbury|Sturminster Newton" },
      { "West Dorset", "Bridport|Lyme Regis|Beaminster" },
      { NULL } } },
  { "Cornwall and the Isles of Scilly", 12,
    "the Royal Cornwall Hospital|Treliske|West Cornwall Hospital|St Michael's Hospital|"
    "Bodmin Community Hospital|Camborne Redruth Community Hospital|Derriford",
    { { "Truro", "Truro|Threemilestone" },
      { "Penwith", "Penzance|St Ives|St Just" },
      { "Kerrier", "Camborne|Redruth|Helston|Falmouth" },
      { "North Cornwall", "Bodmin|Wadebridge|Bude|Launceston" },
      { "Isles of Scilly", "St Mary's|Tresco" },
      { NULL } } },
  { "Lincolnshire", 15,
    "Lincoln County Hospital|Pilgrim Hospital|Grantham Hospital|Skegness Hospital|"
    "the Johnson Community Hospital|Louth County Hospital",
    { { "Lincoln", "Birchwood|Ermine|Bracebridge" },
      { "Boston", "Kirton|Fishtoft" },
      { "East Lindsey", "Skegness|Louth|Mablethorpe|Horncastle" },
      { "South Holland", "Spalding|Holbeach" },
      { "South Kesteven", "Grantham|Stamford|Bourne" },
      { NULL } } },
  { "Bristol, North Somerset and South Gloucestershire", 14,
    "Southmead Hospital|the Bristol Royal Infirmary|Weston General Hospital|"
    "Cossham Hospital|the Children's Hospital",
    { { "Bristol", "Knowle West|Easton|Hartcliffe|Lawrence Hill|Bedminster" },
      { "North Somerset", "Weston-super-Mare|Clevedon|Portishead|Nailsea" },
      { "South Gloucestershire", "Yate|Kingswood|Thornbury|Bradley Stoke" },
      { NULL } } },
};

/* ---------------------------------------------------------------------- */
/* General vocabulary. In templates %X expands to a pick from the list for
 * code X; picks may hold codes themselves. Theme codes: %n noun, %i issue,
 * %g praise. Place codes: %P place or locality, %H hospital. Title codes:
 * %T topic, %Y year, %M month, %p place, %q locality, %I ICS, %W wave. */

typedef struct
{
  char        code;
  double      q;
  const char *spec;
} CodeSpec;

static const CodeSpec code_specs[] = {
  { 's', 2,
    "the receptionist|the doctor|the nurse|the GP|a nurse|the consultant|the paramedics|"
    "the pharmacist|the midwife|the social worker|the health visitor|a healthcare assistant|"
    "the physio|the care coordinator|the ward sister|a junior doctor|the porter|"
    "the district nurse|the dentist|the practice manager|the surgeon|a student nurse|"
    "the call handler|the occupational therapist|the matron|the registrar|the anaesthetist|"
    "the radiographer|the dietitian|Dr Patel|the chaplain|a volunteer|Dr Okafor|"
    "a nurse called Zoë|Dr Nowak|a lovely nurse called Chloë|the phlebotomist|Dr Hughes|"
    "the sonographer|a nurse called José" },
  { 'f', 2,
    "my mum|my husband|my wife|my dad|my son|my daughter|my partner|my mother|my father|"
    "my nan|my grandad|my neighbour|my brother|my sister|my little boy|my little girl|"
    "my friend|my mother-in-law|my father-in-law|my grandson|my granddaughter|my aunt|"
    "my uncle|my fiancé|my stepdad|my stepmum|my cousin|my lodger" },
  { 'd', 3,
    "three weeks|two hours|six months|over a year|four hours|two weeks|a month|nine hours|"
    "eighteen months|ten days|five weeks|all day|nearly two years|a fortnight|"
    "forty minutes|three months|eight weeks|twelve hours|half an hour|"
    "two and a half years|seven months|a whole morning|over an hour|ninety minutes|"
    "sixteen weeks|eleven months" },
  { 't', 3,
    "last year|in January|last winter|during the pandemic|a few weeks ago|in 2019|recently|"
    "over Christmas|last summer|back in March|this spring|a couple of months ago|"
    "on a Friday night|at the weekend|in the autumn|before lockdown|two years ago|"
    "last month|on Boxing Day|in the school holidays|after the floods|"
    "on bank holiday Monday|in February half term" },
  { 'A', 3,
    "brilliant|excellent|really helpful|kind|fantastic|amazing|good|supportive|friendly|"
    "caring|professional|reassuring|wonderful|efficient|patient|thorough|approachable|"
    "outstanding|compassionate|lovely|first class|spot on|superb|exemplary" },
  { 'B', 3,
    "awful|terrible|rude|dismissive|poor|disgraceful|shocking|confusing|stressful|"
    "frustrating|unacceptable|chaotic|appalling|cold|unhelpful|slow|patronising|"
    "inconsistent|disorganised|upsetting|exhausting|humiliating|diabolical|shambolic" },
  { 'e', 3,
    "anxious|frustrated|scared|angry|upset|worried|exhausted|confused|isolated|ignored|"
    "let down|helpless|overwhelmed|embarrassed|stressed|abandoned|humiliated|invisible|"
    "fobbed off|powerless" },
  { 'E', 3,
    "reassured|relieved|listened to|grateful|valued|supported|safe|cared for|respected|"
    "hopeful|lucky|comfortable" },
  { 'o', 1,
    "=40|Honestly, =3|To be fair, =3|In my experience, =3|Overall, =2|Sadly, =2|"
    "Generally, =2|To be honest, =3|Personally, =1|As a carer, =1|Again, =1|"
    "Unfortunately, =2|Frankly, =1|Basically, =1|Like I said, =1|"
    "If I'm honest, =1" },
  { 'x', 4,
    "I work shifts|I don't drive|I live on my own|I'm partially sighted|"
    "my English isn't perfect|I'm a wheelchair user|we live out in the sticks|"
    "I'm on universal credit|I'm self-employed|I care for my husband who has dementia|"
    "I'm deaf|I work nights at a care home|my phone is pay as you go|"
    "we moved here from Poland|I've lived in %P for forty years|"
    "I'm a single dad with three kids|I was made redundant last year|I'm a veteran|"
    "I'm a farmer and can't just leave the animals|I'm a student at the college|"
    "I volunteer at the food bank|I'm housebound most days|I'm in recovery|I've got MS|"
    "I have two children under five|I look after my grandchildren after school|"
    "English is my second language|I've got a learning disability|I'm autistic|"
    "I use a mobility scooter|I have COPD|I'm 84|I'm a teacher|I'm a nurse myself|"
    "my husband works away|we only have one car|I rely on buses|I'm a lone parent|"
    "I work in retail and can't get time off|I'm on a zero-hours contract|"
    "my mum lives with us|I'm registered blind|we don't have wifi at home|"
    "I don't have a smartphone|I'm a taxi driver|I'm a cleaner at the school|"
    "I run a small business|I've just moved to %P|I've recently retired|I'm a young carer|"
    "my son has ADHD|my daughter is autistic|I'm a refugee|we're in temporary accommodation|"
    "I'm seventy-nine and on my own|I'm a pensioner|I'm a Gypsy Traveller|"
    "I work at the hospital|I run the café on the high street|I'm a mum of four|I'm trans|"
    "I have epilepsy|I have type 1 diabetes|I'm recovering from cancer|"
    "I've got arthritis in both knees|I struggle with reading|I'm hard of hearing|"
    "I live above a shop|I'm a lorry driver|I'm a fisherman|I'm a postman|"
    "I work for the council|I'm a childminder|I'm a plasterer|I work on the checkouts|"
    "my husband is a bricklayer|I'm a hairdresser|I clean offices early mornings" },
  { 'c', 4,
    "Something has to change.|It shouldn't be this hard.|I just want to be listened to.|"
    "Please sort this out.|We deserve better.|It's not the staff's fault, it's the system.|"
    "Nobody seems to be in charge.|It felt like nobody cared.|The whole thing was a mess.|"
    "I dread having to go back.|Others won't be so lucky.|"
    "It would be naïve to think this is just me.|I've lost faith in the system.|"
    "It's a postcode lottery.|It was déjà vu every single time.|"
    "I'm not the only one, I know that.|Why is it always such a battle?|Enough is enough.|"
    "I won't hold my breath.|It's heartbreaking to see.|I definately won't be going back.|"
    "It's like banging your head against a brick wall." },
  { 'C', 4,
    "Thank you to everyone involved.|It made a real difference.|I can't fault them.|"
    "I would recommend them to anyone.|Keep up the good work.|We were lucky.|"
    "I honestly can't thank them enough.|They deserve a medal.|"
    "It restored my faith in the NHS.|Couldn't have asked for more.|"
    "Brilliant service from start to finish.|Ten out of ten." },
  { 'k', 4,
    "It is what it is.|Hard to say really.|Some good, some bad.|I hope this feedback helps.|"
    "That's all I have to say.|Mostly fine.|No real complaints.|It depends who you get.|"
    "I don't know what the answer is.|Happy to talk more if it helps." },
  { 'h', 3,
    "had a fall|started getting chest pains|collapsed in the kitchen|"
    "couldn't catch his breath|found a lump|had a stroke|broke her hip|"
    "became really confused|stopped eating|had a seizure|went into early labour|"
    "was struggling to cope|had a bad asthma attack|started hearing voices|"
    "was diagnosed with diabetes|developed a nasty infection|couldn't get out of bed|"
    "took an overdose|was rushed in with sepsis|fell down the stairs|"
    "had a panic attack at work|lost a lot of weight|had a heart attack|got covid|"
    "cut his hand badly|had terrible toothache|scalded her arm on the kettle" },
  { 'l', 3,
    "the shops|church|work|the school gates|the allotment|bingo|the gym|"
    "a caravan holiday in Wales|the football|Tesco|the garden centre|my sister's|"
    "the beach|the pub quiz|choir practice|the café|the mosque|the gurdwara|"
    "the food bank|a wedding|the job centre|the hairdresser's|the launderette|"
    "the bowls club|Aldi" },
  { '0', 2,
    "12|20|15|30|8|25|40|17|10|23|35|6|50|27|9" },
  { 'G', 3,
    "young carers|Polish community|Gypsy and Traveller|farming community|new parents|"
    "veterans|students|LGBTQ+|older people's forum|Deaf community|Bangladeshi women's|"
    "men's shed|homeless|parent carers|self-advocacy|Romanian community|fishing community|"
    "sixth form|Chinese community|Caribbean elders" },
  { 'M', 100,
    "January|February|March|April|May|June|July|August|September|October|November|December" },
};

/* Sentence templates, by voice and sentiment */
static const char first_neg[] =
  "%oI had real problems with %n.|%oThe worst part was %i.|What upset me most was %i.|"
  "There is no excuse for %i.|I'm fed up with %i.|Nobody should have to put up with %i.|"
  "My biggest complaint is %i.|I complained about %i but nothing changed.|"
  "%f and I both struggled with %i.|Because of %i, I felt %e.|"
  "Things like %i make people give up.|%s was %B and made me feel %e.|"
  "I rang %H about %n and was on hold for %d.|%oit took %d to sort out %n.|"
  "%n in %P is %B.|There's nothing for %n in %P any more.|I had to wait %d, which is %B.|"
  "%x, so %i is a real problem for me.|%x, and %i made things so much harder.|%c|"
  "%s said \"there's nothing we can do\" when I asked about %n.|"
  "I was told \"it's just your age\" and sent home.|"
  "%oI felt %e and nobody explained anything about %n.|"
  "%n has gone downhill in the last few years.|I've given up trying to get %n.|"
  "%oit's %B that %f had to go through %i.|Why should we have to accept %i?|"
  "I spent %d trying to sort out %n for %f.|%s didn't seem to know anything about %n.|"
  "I left feeling %e.|The system for %n is %B.|I didn't even receive a letter about %n.|"
  "I didn't even recieve a letter about %n.|%oI was left feeling %e after %i.|"
  "The phone just rang and rang.|Every time I ring I get a different answer about %n.|"
  "It's %B how long %f waited for %n.|We were passed from pillar to post over %n.|"
  "I had to take a day off work just for %n.|I couldn't get an appointment for %d.|"
  "When I finally got an appointment, %s was %B.";

static const char first_pos[] =
  "%oThe best thing was %g.|I was really grateful for %g.|"
  "%s was %A and explained everything about %n.|Credit where it's due: %g.|"
  "%oI want to say thank you for %g.|The staff at %H were %A.|"
  "My experience of %n in %P has been %A.|%g made all the difference to %f.|%C|"
  "Everyone at %H was %A with %f.|%x, so %g really helped.|"
  "I felt %E after talking to %s about %n.|%oI can't praise %s enough.|"
  "%n has improved a lot over the last year.|I was seen quickly and %s was %A.|"
  "We felt %E the whole time.|%s took the time to listen, which meant a lot.|"
  "%oI was impressed by %g.|Nothing was too much trouble for %s.|"
  "%f was treated with real dignity at %H.|Honestly the best care I've ever had.|"
  "%n in %P is %A now.|I got an appointment the same week.";

static const char first_neu[] =
  "I used %n %t.|%oit would help to have more information about %n.|"
  "I'd like to know more about %n in %P.|I haven't needed %n much, but %f has.|"
  "%n is okay, nothing special.|%x.|We went to %H %t for %n.|"
  "Some of it was fine, some of it wasn't.|I think %n could be better organised.|"
  "It would be good if %n was closer to %P.|I only found out about %n from %f.|%k|"
  "I've no strong views on %n either way.|I'm not sure who is responsible for %n.|"
  "%n seems about the same as before.|Parking at %H is hit and miss.|"
  "I go to the surgery in %P.|I'd use %n more if it was better advertised.|"
  "It's been a mixed picture with %n.|I had an appointment at %H %t.";

static const char survey_neg[] =
  "Sort out %n!|Not enough %n.|%n – %B.|%i.|Too long waiting for %n.|%B, to be honest.|"
  "Fix %n in %P.|%n needs improving.|%n. %B.|Listen to patients about %n.|"
  "Can't get an appointment when I need one.";

static const char survey_pos[] =
  "%A staff.|%A service from %s.|No complaints, %n was %A.|%g.|Very happy with %n.|"
  "Quick and easy, %s was %A.";

static const char survey_neu[] =
  "More %n in %P.|Easier access to %n.|Shorter waits for %n.|Can't think of anything.|"
  "Not used %n recently.|Nothing to add.|%n.";

static const char summary_neg[] =
  "Participants raised concerns about %i.|Several people described %i.|"
  "The group highlighted %n as a key issue, particularly %i.|"
  "Attendees from %P said that %n was %B.|A common theme was %i.|"
  "Many respondents felt %e about %n.|Carers in the group spoke about %i.|"
  "There was frustration about %i, with examples given from %H.|"
  "People said they had given up on %n after %i.|Some respondents reported %i.|"
  "Concerns were raised about %n in %P.|One participant described waiting %d for %n.|"
  "Feedback from %P described %i as a recurring problem.|"
  "Older residents in particular mentioned %i.|Parents described %i.|"
  "Participants said %n felt %B and hard to navigate.|"
  "Several comments referred to %s being %B.|"
  "The survey found that many people waited %d for %n.|"
  "Getting an appointment was the most common concern.";

static const char summary_pos[] =
  "Participants praised %g.|Several people spoke positively about %n at %H.|"
  "The group agreed that %g had made a real difference.|"
  "Feedback about %s was largely %A.|Respondents valued %g.|"
  "People in %P said %n had improved.|Some people described %s as %A.|"
  "Many comments were about %g.|Several respondents said %n at %H was %A.";

static const char summary_neu[] =
  "The session in %P focused on %n.|Discussion covered %n and %n.|"
  "Participants asked for clearer information about %n.|"
  "%0 people attended, most of them from %P.|"
  "Questions were raised about how %n will work in future.|"
  "Actions were agreed and will be reported back to the group.|"
  "Suggestions included better signposting for %n and more local options in %P.|"
  "The feedback will be shared with the team responsible for %n.|"
  "Views on %n were mixed.|The workshop explored what good %n would look like.|"
  "Participants were asked what matters most to them about %n.|"
  "A summary of the discussion will be published on the ICB website.|"
  "Most attendees were aged over 60.|Comments about %n are summarised below.|"
  "People had different experiences of %n depending on where they lived.|"
  "The group discussed the proposed changes to %n in %P.";

static const char questions[] =
  "Why is %n so %B in %P?|When will %n improve?|What is the ICB doing about %i?|"
  "Can the board explain why %i is still happening?|"
  "How are you going to make sure %n is fair for people in %P?|"
  "Who do I contact about %n?|What is the future of %n at %H?|"
  "Is there any plan to improve %n in %P?|How much is being spent on %n?|"
  "Why do people in %P have to travel to %H for %n?|"
  "What happened to the feedback we gave about %n last year?|"
  "Has anyone looked at the impact of %i?|"
  "How will carers be involved in decisions about %n?|"
  "Why has nothing been done about %i?|Can you publish the waiting times for %n?|"
  "Why is it so hard to get an appointment in %P?";

static const char story_open[] =
  "%t %f %h.|I want to share what happened when %f %h.|My story starts %t, when %f %h.|"
  "I've lived in %P for years and never had to use %n until %t.";

static const char narrative[] =
  "We went to %H and %s saw us after %d.|After that we were referred for %n.|"
  "%s told us it could be %d before anything happened.|"
  "In the meantime, %x, which made everything harder.|"
  "It was %d before anyone looked at %n.|I kept a diary of every phone call.|"
  "Looking back, I wish someone had told us about %n sooner.|"
  "We'd just come back from %l when it happened.|%f has lived in %P all their life.|"
  "Eventually %s arranged %n.|The next morning we were sent home.|"
  "Weeks later a letter arrived about %n.|"
  "I phoned the surgery, then 111, then the surgery again.|"
  "%f was frightened and kept asking when we could go home.|"
  "We got a taxi to %H because we couldn't wait for an ambulance.|"
  "On the ward, %s was %A but clearly rushed off their feet.|"
  "Nobody explained what %n would involve.|A month later %f %h.|"
  "That was %t, and we're still waiting for %n.|"
  "I'm telling this story because I don't want it to happen to anyone else.|"
  "We met %s at %l, who told us about %n.|I had to take %d off work.|"
  "The ambulance took %d to come.|We sat in the corridor for %d.|"
  "I wrote to our MP in the end.|"
  "Then the letters started arriving, all with different dates.|"
  "A neighbour drove us to %H.|"
  "%f came home with a bag of medication and no instructions.|"
  "Nobody asked how I was coping.|We still don't know what caused it.|"
  "Things are better now, but it was a long road.|"
  "We were given an appointment at %H for %d later.";

/* Activity titles, in the order of activity_kind_spec */
static const char *const title_specs[] = {
  /* workshop */
  "%p %T workshop|%T co-design workshop, %q|%p %T engagement workshop %Y|"
  "%T workshop with the %G group|%q %T workshop %M %Y",
  /* survey */
  "%T survey %Y|%I %T survey %Y|%p %T survey %Y|%T experience survey (%M %Y)",
  /* focus-group */
  "%T focus group – %p %Y|%G focus group on %T|%q %T focus group %Y",
  /* public-meeting */
  "%p public meeting: %T|%q community hospital public meeting %Y|"
  "%T public meeting, %q %Y",
  /* webinar */
  "%I %T webinar %Y|%I Chat webinar: %T|%T webinar %M %Y",
  /* citizens-panel */
  "Citizens Panel survey: %T %Y|Citizens Panel wave %W: %T|%I Citizens Panel – %T %Y",
  /* story-interview */
  "Patient stories: %T %Y|%p story interviews %Y|%T stories from %q",
  /* drop-in */
  "%p %T drop-in|%q library drop-in %M %Y|%T drop-in at %q community centre",
  /* outreach */
  "%q market stall outreach %Y|%T outreach at %q food bank|%G outreach: %T %Y|"
  "%q school gate outreach %M %Y",
  /* board-question */
  "ICB Board public questions %M %Y|%I ICB Board meeting %M %Y: public questions",
};

static const char activity_kind_spec[] =
  "workshop=18|survey=14|focus-group=12|public-meeting=8|webinar=7|citizens-panel=4|"
  "story-interview=8|drop-in=12|outreach=12|board-question=5";

enum
{
  ACT_WORKSHOP,
  ACT_SURVEY,
  ACT_FOCUS_GROUP,
  ACT_PUBLIC_MEETING,
  ACT_WEBINAR,
  ACT_CITIZENS_PANEL,
  ACT_STORY_INTERVIEW,
  ACT_DROP_IN,
  ACT_OUTREACH,
  ACT_BOARD_QUESTION,
  N_ACT_KINDS
};

/* How many insights an activity of each kind tends to produce, relative to
 * a workshop: surveys bring in far more rows than interviews. */
static const double act_size[N_ACT_KINDS] = {
  1.0, 6.0, 0.7, 1.2, 1.0, 5.0, 0.4, 1.0, 1.0, 0.4,
};

/* The kinds of insight each kind of activity yields, in the order of the
 * kind enum below. */
enum
{
  KIND_QUOTE,
  KIND_SUMMARY,
  KIND_STORY,
  KIND_SURVEY_ANSWER,
  KIND_QUESTION,
  N_KINDS
};

static const char *const kind_names[N_KINDS] = {
  "quote", "summary", "story", "survey-answer", "question",
};

static const double kind_weights[N_ACT_KINDS][N_KINDS] = {
  { 45, 30, 8, 5, 12 },    /* workshop */
  { 8, 2, 3, 85, 2 },      /* survey */
  { 55, 30, 10, 0, 5 },    /* focus-group */
  { 35, 25, 5, 0, 35 },    /* public-meeting */
  { 30, 25, 0, 5, 40 },    /* webinar */
  { 12, 8, 0, 75, 5 },     /* citizens-panel */
  { 20, 5, 75, 0, 0 },     /* story-interview */
  { 55, 10, 10, 15, 10 },  /* drop-in */
  { 50, 10, 15, 20, 5 },   /* outreach */
  { 0, 10, 0, 0, 90 },     /* board-question */
};

enum
{
  SENT_NEGATIVE,
  SENT_MIXED,
  SENT_NEUTRAL,
  SENT_POSITIVE,
};

static const char sentiment_spec[] = "negative=44|mixed=20|neutral=18|positive=18";

static const char age_spec[] =
  "=15|under-16=2|16-24=8|25-34=12|35-44=13|45-54=13|55-64=14|65-74=12|75-plus=8|"
  "prefer-not-to-say=3";
static const char age_young_spec[] =
  "=15|under-16=20|16-24=25|25-34=12|35-44=14|45-54=8|55-64=3|65-74=2|75-plus=1|"
  "prefer-not-to-say=2";
static const char age_old_spec[] =
  "=15|16-24=1|25-34=2|35-44=4|45-54=8|55-64=15|65-74=25|75-plus=30|prefer-not-to-say=3";
static const char age_maternity_spec[] =
  "=15|16-24=15|25-34=45|35-44=25|45-54=1|prefer-not-to-say=2";
static const char sex_spec[] = "=12|female=52|male=33|other=1|prefer-not-to-say=2";
static const char sex_maternity_spec[] = "=12|female=85|male=3|prefer-not-to-say=1";
/* Roughly the 2021 census for England, slightly under-reporting */
static const char ethnic_spec[] =
  "=15|white=70|asian=8|black=3|mixed=3|other=1|prefer-not-to-say=2";
static const char disability_spec[] = "=18|no=58|yes=20|prefer-not-to-say=4";
static const char consent_spec[] = "may-quote=80|anonymised-only=19|withdrawn=1";

/* Activity years: engagement volume has grown, with a dip in 2020 */
static const char year_spec[] =
  "2015=3|2016=4|2017=5|2018=6|2019=7|2020=5|2021=8|2022=10|2023=12|2024=14|2025=16|"
  "2026=12";

/* ---------------------------------------------------------------------- */

typedef struct
{
  const char *name;
  Lex         localities;
} Place;

typedef struct
{
  const char *name;
  Lex         hospitals;
  Lex         places;     /* names only, for sampling */
  Place      *place;
  guint       n_places;
} Ics;

typedef struct
{
  const ThemeSpec *spec;
  Lex              nouns;
  Lex              issues;
  Lex              goods;
} Theme;

typedef struct
{
  char  *title;
  guint  kind;
  int    day;           /* days since 1970-01-01 */
  char   date[11];
  guint  ics;
  guint  place;
  guint  locality;
  guint  theme;
  Lex    insight_kinds;
} Activity;

typedef struct
{
  Rng       rng;

  Theme    *themes;
  guint     n_themes;
  Lex       theme_pick;
  Ics      *ics;
  guint     n_ics;
  Lex       ics_pick;
  Lex       codes[128];

  Lex       first[4];    /* by sentiment */
  Lex       survey[4];
  Lex       summary[4];
  Lex       questions;
  Lex       story_open;
  Lex       narrative;
  Lex       titles[N_ACT_KINDS];
  Lex       act_kinds;
  Lex       sentiments;
  Lex       age, age_young, age_old, age_maternity;
  Lex       sex, sex_maternity;
  Lex       ethnic, disability, consent;
  Lex       years;

  Activity *acts;
  guint     n_acts;
  Lex       act_pick;

  /* Per sentence / per row state for the expander */
  const Theme    *theme;
  const Activity *act;
  int             year;

  GString  *text;
  GString  *sentence;
  GString  *line;
} Gen;

/* Theme indices used to skew demographics */
static guint theme_maternity, theme_children, theme_older, theme_eol;

static guint
find_theme (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (theme_specs); i++)
    if (strcmp (theme_specs[i].name, name) == 0)
      return i;
  g_assert_not_reached ();
  return 0;
}

/* ---------------------------------------------------------------------- */
/* Dates as day numbers, without GDate so rows stay allocation-free */

static int
days_from_civil (int      y,
                 unsigned m,
                 unsigned d)
{
  int era;
  unsigned yoe, doy, doe;

  y -= m <= 2;
  era = (y >= 0 ? y : y - 399) / 400;
  yoe = (unsigned) (y - era * 400);
  doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

  return era * 146097 + (int) doe - 719468;
}

static void
format_day (int   z,
            char *out)
{
  int era, y;
  unsigned doe, yoe, doy, mp, d, m;

  z += 719468;
  era = (z >= 0 ? z : z - 146096) / 146097;
  doe = (unsigned) (z - era * 146097);
  yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  y = (int) yoe + era * 400;
  doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y += m <= 2;

  out[0] = '0' + (y / 1000) % 10;
  out[1] = '0' + (y / 100) % 10;
  out[2] = '0' + (y / 10) % 10;
  out[3] = '0' + y % 10;
  out[4] = '-';
  out[5] = '0' + m / 10;
  out[6] = '0' + m % 10;
  out[7] = '-';
  out[8] = '0' + d / 10;
  out[9] = '0' + d % 10;
  out[10] = '\0';
}

/* ---------------------------------------------------------------------- */

static void
expand (Gen        *gen,
        GString    *out,
        const char *tpl,
        guint       depth)
{
  const char *p = tpl;

  while (*p != '\0')
    {
      const char *pct = strchr (p, '%');
      const char *item = NULL;
      const Activity *act = gen->act;
      const Ics *ics = &gen->ics[act->ics];
      guchar code;

      if (pct == NULL)
        {
          g_string_append (out, p);
          return;
        }

      g_string_append_len (out, p, pct - p);
      code = (guchar) pct[1];
      if (code == '\0')
        return;
      p = pct + 2;

      switch (code)
        {
        case 'n':
          item = lex_pick (&gen->theme->nouns, &gen->rng);
          break;
        case 'i':
          item = lex_pick (&gen->theme->issues, &gen->rng);
          break;
        case 'g':
          item = lex_pick (&gen->theme->goods, &gen->rng);
          break;
        case 'H':
          item = lex_pick (&ics->hospitals, &gen->rng);
          break;
        case 'P':
          {
            /* Mostly where the activity was, sometimes elsewhere nearby */
            guint r = rng_below (&gen->rng, 10);
            const Place *place = &ics->place[act->place];

            if (r < 5)
              item = place->localities.items[act->locality];
            else if (r < 8)
              item = place->name;
            else
              {
                place = &ics->place[lex_pick_index (&ics->places, &gen->rng)];
                item = r == 8 ? place->name : lex_pick (&place->localities, &gen->rng);
              }
          }
          break;
        case 'p':
          item = ics->place[act->place].name;
          break;
        case 'q':
          item = ics->place[act->place].localities.items[act->locality];
          break;
        case 'I':
          item = ics->name;
          break;
        case 'T':
          item = gen->themes[act->theme].spec->topic;
          break;
        case 'Y':
          g_string_append_printf (out, "%d", gen->year);
          break;
        case 'W':
          g_string_append_printf (out, "%u", 1 + rng_below (&gen->rng, 24));
          break;
        default:
          if (code < 128 && gen->codes[code].n > 0)
            item = lex_pick (&gen->codes[code], &gen->rng);
          else
            g_string_append_c (out, (char) code);
          break;
        }

      if (item != NULL)
        {
          if (depth < 4 && strchr (item, '%') != NULL)
            expand (gen, out, item, depth + 1);
          else
            g_string_append (out, item);
        }
    }
}

static void
capitalize_from (GString *s,
                 gsize    pos)
{
  if (pos < s->len && s->str[pos] >= 'a' && s->str[pos] <= 'z')
    s->str[pos] -= 'a' - 'A';
}

/* ---------------------------------------------------------------------- */

static void
gen_init (Gen    *gen,
          guint64 seed)
{
  memset (gen, 0, sizeof *gen);
  rng_seed (&gen->rng, seed);

  gen->n_themes = G_N_ELEMENTS (theme_specs);
  gen->themes = g_new0 (Theme, gen->n_themes);
  {
    char **names = g_new0 (char *, gen->n_themes + 1);
    double *weights = g_new (double, gen->n_themes);

    for (guint i = 0; i < gen->n_themes; i++)
      {
        const ThemeSpec *spec = &theme_specs[i];

        gen->themes[i].spec = spec;
        lex_init (&gen->themes[i].nouns, spec->nouns, 1.2);
        lex_init (&gen->themes[i].issues, spec->issues, 2);
        lex_init (&gen->themes[i].goods, spec->goods, 2);
        names[i] = g_strdup (spec->name);
        weights[i] = spec->weight;
      }
    lex_build (&gen->theme_pick, names, weights, gen->n_themes);
    g_free (weights);
  }

  gen->n_ics = G_N_ELEMENTS (ics_specs);
  gen->ics = g_new0 (Ics, gen->n_ics);
  {
    char **names = g_new0 (char *, gen->n_ics + 1);
    double *weights = g_new (double, gen->n_ics);

    for (guint i = 0; i < gen->n_ics; i++)
      {
        const IcsSpec *spec = &ics_specs[i];
        Ics *ics = &gen->ics[i];
        GString *place_names = g_string_new (NULL);

        ics->name = spec->name;
        lex_init (&ics->hospitals, spec->hospitals, 1.5);
        while (spec->places[ics->n_places].name != NULL)
          ics->n_places++;
        ics->place = g_new0 (Place, ics->n_places);
        for (guint j = 0; j < ics->n_places; j++)
          {
            ics->place[j].name = spec->places[j].name;
            lex_init (&ics->place[j].localities, spec->places[j].localities, 2);
            g_string_append_printf (place_names, "%s%s", j ? "|" : "",
                                    spec->places[j].name);
          }
        /* The first place is the largest town; keep the others close */
        lex_init (&ics->places, place_names->str, 2.5);
        g_string_free (place_names, TRUE);

        names[i] = g_strdup (spec->name);
        weights[i] = spec->weight;
      }
    lex_build (&gen->ics_pick, names, weights, gen->n_ics);
    g_free (weights);
  }

  for (guint i = 0; i < G_N_ELEMENTS (code_specs); i++)
    lex_init (&gen->codes[(guchar) code_specs[i].code], code_specs[i].spec, code_specs[i].q);

  lex_init (&gen->first[SENT_NEGATIVE], first_neg, 6);
  lex_init (&gen->first[SENT_POSITIVE], first_pos, 6);
  lex_init (&gen->first[SENT_NEUTRAL], first_neu, 6);
  lex_init (&gen->survey[SENT_NEGATIVE], survey_neg, 4);
  lex_init (&gen->survey[SENT_POSITIVE], survey_pos, 4);
  lex_init (&gen->survey[SENT_NEUTRAL], survey_neu, 4);
  lex_init (&gen->summary[SENT_NEGATIVE], summary_neg, 6);
  lex_init (&gen->summary[SENT_POSITIVE], summary_pos, 6);
  lex_init (&gen->summary[SENT_NEUTRAL], summary_neu, 6);
  lex_init (&gen->questions, questions, 6);
  lex_init (&gen->story_open, story_open, 3);
  lex_init (&gen->narrative, narrative, 8);
  for (guint i = 0; i < N_ACT_KINDS; i++)
    lex_init (&gen->titles[i], title_specs[i], 3);
  lex_init (&gen->act_kinds, activity_kind_spec, 1);
  lex_init (&gen->sentiments, sentiment_spec, 1);
  lex_init (&gen->age, age_spec, 1);
  lex_init (&gen->age_young, age_young_spec, 1);
  lex_init (&gen->age_old, age_old_spec, 1);
  lex_init (&gen->age_maternity, age_maternity_spec, 1);
  lex_init (&gen->sex, sex_spec, 1);
  lex_init (&gen->sex_maternity, sex_maternity_spec, 1);
  lex_init (&gen->ethnic, ethnic_spec, 1);
  lex_init (&gen->disability, disability_spec, 1);
  lex_init (&gen->consent, consent_spec, 1);
  lex_init (&gen->years, year_spec, 1);

  theme_maternity = find_theme ("Maternity");
  theme_children = find_theme ("Children and young people");
  theme_older = find_theme ("Older people");
  theme_eol = find_theme ("End of life care");

  gen->text = g_string_sized_new (4096);
  gen->sentence = g_string_sized_new (1024);
  gen->line = g_string_sized_new (8192);
}

/* About one activity per 330 insights, as in a real year of engagement */
static void
gen_activities (Gen    *gen,
                guint64 rows)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  double *weights;

  gen->n_acts = (guint) MAX (rows / 330, 1);
  gen->acts = g_new0 (Activity, gen->n_acts);
  weights = g_new (double, gen->n_acts);

  for (guint i = 0; i < gen->n_acts; i++)
    {
      Activity *act = &gen->acts[i];
      const Ics *ics;
      int start, end;
      double spread;
      GString *title = gen->sentence;

      act->kind = lex_pick_index (&gen->act_kinds, &gen->rng);
      act->ics = lex_pick_index (&gen->ics_pick, &gen->rng);
      ics = &gen->ics[act->ics];
      act->place = lex_pick_index (&ics->places, &gen->rng);
      act->locality = lex_pick_index (&ics->place[act->place].localities, &gen->rng);
      act->theme = lex_pick_index (&gen->theme_pick, &gen->rng);

      /* Leave room for responses up to 60 days later, by 2026-10-31 */
      gen->year = (int) g_ascii_strtoll (lex_pick (&gen->years, &gen->rng), NULL, 10);
      start = days_from_civil (gen->year, 1, 1);
      if (gen->year == 2026)
        end = days_from_civil (2026, 9, 1);
      else
        end = days_from_civil (gen->year + 1, 1, 1);
      act->day = start + (int) rng_below (&gen->rng, (guint32) (end - start));
      format_day (act->day, act->date);

      {
        double k[N_KINDS];

        for (guint j = 0; j < N_KINDS; j++)
          k[j] = kind_weights[act->kind][j];
        lex_build (&act->insight_kinds, NULL, k, N_KINDS);
      }

      /* Titles are the activity's identity in the import, so keep them
       * unique; the first few tries reword, later ones number. */
      gen->act = act;
      for (guint attempt = 0;; attempt++)
        {
          g_string_truncate (title, 0);
          expand (gen, title, lex_pick (&gen->titles[act->kind], &gen->rng), 0);
          capitalize_from (title, 0);
          if (attempt >= 8)
            g_string_append_printf (title, " (%u)", attempt - 7);
          if (!g_hash_table_contains (seen, title->str))
            break;
        }
      act->title = g_strdup (title->str);
      g_hash_table_add (seen, act->title);

      /* Heavy-tailed sizes: most activities are small, a few are huge */
      spread = 1.0 / (rng_double (&gen->rng) + 0.08);
      weights[i] = act_size[act->kind] * spread;
    }

  /* Only ever picked by index */
  lex_build (&gen->act_pick, NULL, weights, gen->n_acts);
  g_free (weights);
}

/* ---------------------------------------------------------------------- */

static guint
target_length (Gen  *gen,
               guint kind)
{
  double u = rng_double (&gen->rng);

  switch (kind)
    {
    case KIND_SURVEY_ANSWER:
      return 30 + (guint) (300 * u * u);
    case KIND_QUOTE:
      return 50 + (guint) (550 * u * u);
    case KIND_QUESTION:
      return 40 + (guint) (320 * u * u);
    case KIND_SUMMARY:
      return 150 + (guint) (850 * u * u);
    case KIND_STORY:
      return 350 + (guint) (1100 * u);
    default:
      g_assert_not_reached ();
    }
  return 0;
}

static const Lex *
sentence_lex (Gen  *gen,
              guint kind,
              guint sentiment,
              guint index)
{
  guint s = sentiment;

  /* Mixed feedback alternates good and bad; even negative rows have the
   * odd neutral aside. */
  if (s == SENT_MIXED)
    s = (index % 2) ? SENT_POSITIVE : SENT_NEGATIVE;
  else if (s == SENT_NEGATIVE && rng_chance (&gen->rng, 10))
    s = SENT_NEUTRAL;

  switch (kind)
    {
    case KIND_SURVEY_ANSWER:
      return index == 0 ? &gen->survey[s] : &gen->first[s];
    case KIND_QUOTE:
      return &gen->first[s];
    case KIND_SUMMARY:
      return &gen->summary[s];
    case KIND_QUESTION:
      if (index == 0 && rng_chance (&gen->rng, 40))
        return &gen->first[s];
      return &gen->questions;
    case KIND_STORY:
      if (index == 0)
        return &gen->story_open;
      return rng_chance (&gen->rng, 55) ? &gen->narrative : &gen->first[s];
    default:
      g_assert_not_reached ();
    }
  return NULL;
}

/* Swap two letters in one longer word: the long tail of one-off
 * misspellings that real free text has. */
static void
add_typo (Gen *gen)
{
  GString *t = gen->text;
  gsize pos = rng_below (&gen->rng, (guint32) t->len);

  while (pos < t->len)
    {
      gsize start, len;

      while (pos < t->len && !g_ascii_isalpha (t->str[pos]))
        pos++;
      start = pos;
      while (pos < t->len && g_ascii_isalpha (t->str[pos]))
        pos++;
      len = pos - start;
      if (len >= 5)
        {
          gsize i = start + 1 + rng_below (&gen->rng, (guint32) (len - 2));
          char c = t->str[i];

          t->str[i] = t->str[i + 1];
          t->str[i + 1] = c;
          return;
        }
    }
}

static void
gen_text (Gen  *gen,
          guint kind,
          guint sentiment,
          guint themes[3],
          guint n_themes)
{
  GString *text = gen->text;
  guint target = target_length (gen, kind);
  gboolean paragraphs = kind == KIND_STORY && rng_chance (&gen->rng, 36);
  guint since_break = 0;
  const char *used[32];
  guint n_used = 0;

  g_string_truncate (text, 0);

  for (guint i = 0; text->len < target; i++)
    {
      guint r = rng_below (&gen->rng, 100);
      guint t = r < 60 ? 0 : r < 85 ? 1 : 2;
      const Lex *lex = sentence_lex (gen, kind, sentiment, i);
      const char *tpl = lex_pick (lex, &gen->rng);

      /* People rarely say the same sentence twice in one answer */
      for (guint tries = 0; tries < 4; tries++)
        {
          gboolean seen = FALSE;

          for (guint j = 0; j < n_used && !seen; j++)
            seen = used[j] == tpl;
          if (!seen)
            break;
          tpl = lex_pick (lex, &gen->rng);
        }
      if (n_used < G_N_ELEMENTS (used))
        used[n_used++] = tpl;

      gen->theme = &gen->themes[themes[MIN (t, n_themes - 1)]];
      g_string_truncate (gen->sentence, 0);
      expand (gen, gen->sentence, tpl, 0);
      capitalize_from (gen->sentence, 0);

      /* Stop at a sentence boundary near the longest stories */
      if (text->len >= 40 && text->len + gen->sentence->len > 1500)
        break;

      if (text->len > 0)
        {
          if (paragraphs && since_break >= 3 && rng_chance (&gen->rng, 35))
            {
              g_string_append (text, "\n\n");
              since_break = 0;
            }
          else
            g_string_append_c (text, ' ');
        }
      g_string_append_len (text, gen->sentence->str, gen->sentence->len);
      since_break++;
    }

  if (rng_chance (&gen->rng, 3))
    add_typo (gen);
}

/* RFC 4180: quote when needed, double internal quotes. Some people type
 * in word processors, so their apostrophes come out curly. */
static void
append_field (GString    *line,
              const char *s,
              gsize       len,
              gboolean    curly)
{
  gboolean quote = FALSE;

  for (gsize i = 0; i < len; i++)
    if (s[i] == ',' || s[i] == '"' || s[i] == '\n' || s[i] == '\r')
      {
        quote = TRUE;
        break;
      }

  if (!quote && !curly)
    {
      g_string_append_len (line, s, len);
      return;
    }

  if (quote)
    g_string_append_c (line, '"');
  for (gsize i = 0; i < len; i++)
    {
      if (s[i] == '"')
        g_string_append_len (line, "\"\"", 2);
      else if (s[i] == '\'' && curly)
        g_string_append (line, "\xe2\x80\x99");
      else
        g_string_append_c (line, s[i]);
    }
  if (quote)
    g_string_append_c (line, '"');
}

static inline void
append_plain (GString    *line,
              const char *s)
{
  append_field (line, s, strlen (s), FALSE);
  g_string_append_c (line, ',');
}

static void
gen_row (Gen *gen)
{
  GString *line = gen->line;
  const Activity *act = &gen->acts[lex_pick_index (&gen->act_pick, &gen->rng)];
  const Ics *ics = &gen->ics[act->ics];
  const Place *place = &ics->place[act->place];
  guint themes[3];
  guint n_themes;
  guint kind, sentiment;
  guint r;
  int offset;
  char date[11];
  const Lex *age = &gen->age;
  const Lex *sex = &gen->sex;
  const char *consent;

  gen->act = act;

  /* Half the time the activity's own focus leads, then 1–3 themes */
  r = rng_below (&gen->rng, 100);
  n_themes = r < 60 ? 1 : r < 90 ? 2 : 3;
  if (rng_chance (&gen->rng, 55))
    themes[0] = act->theme;
  else
    themes[0] = lex_pick_index (&gen->theme_pick, &gen->rng);
  for (guint i = 1; i < n_themes; i++)
    {
      gboolean dup;

      do
        {
          themes[i] = lex_pick_index (&gen->theme_pick, &gen->rng);
          dup = FALSE;
          for (guint j = 0; j < i; j++)
            dup |= themes[j] == themes[i];
        }
      while (dup);
    }

  kind = lex_pick_index (&act->insight_kinds, &gen->rng);
  sentiment = lex_pick_index (&gen->sentiments, &gen->rng);
  gen_text (gen, kind, sentiment, themes, n_themes);

  /* Surveys stay open for weeks; other notes are written up soon after */
  switch (act->kind)
    {
    case ACT_SURVEY:
    case ACT_CITIZENS_PANEL:
      offset = (int) rng_below (&gen->rng, 61);
      break;
    case ACT_STORY_INTERVIEW:
      offset = (int) rng_below (&gen->rng, 46);
      break;
    default:
      offset = rng_chance (&gen->rng, 70) ? 0 : 1 + (int) rng_below (&gen->rng, 30);
      break;
    }
  format_day (act->day + offset, date);

  for (guint i = 0; i < n_themes; i++)
    {
      if (themes[i] == theme_maternity)
        {
          age = &gen->age_maternity;
          sex = &gen->sex_maternity;
        }
      else if (themes[i] == theme_children && age == &gen->age)
        age = &gen->age_young;
      else if ((themes[i] == theme_older || themes[i] == theme_eol) && age == &gen->age)
        age = &gen->age_old;
    }

  g_string_truncate (line, 0);
  append_field (line, gen->text->str, gen->text->len, rng_chance (&gen->rng, 20));
  g_string_append_c (line, ',');
  append_plain (line, kind_names[kind]);
  append_plain (line, date);
  for (guint i = 0; i < n_themes; i++)
    {
      if (i > 0)
        g_string_append (line, "; ");
      g_string_append (line, gen->themes[themes[i]].spec->name);
    }
  g_string_append_c (line, ',');
  append_plain (line, gen->sentiments.items[sentiment]);
  append_plain (line, act->title);
  append_plain (line, gen->act_kinds.items[act->kind]);
  append_plain (line, act->date);
  append_plain (line, ics->name);
  append_plain (line, place->name);
  append_plain (line, place->localities.items[act->locality]);
  append_plain (line, lex_pick (age, &gen->rng));
  append_plain (line, lex_pick (sex, &gen->rng));
  append_plain (line, lex_pick (&gen->ethnic, &gen->rng));
  append_plain (line, lex_pick (&gen->disability, &gen->rng));
  consent = lex_pick (&gen->consent, &gen->rng);
  append_field (line, consent, strlen (consent), FALSE);
  g_string_append (line, "\r\n");
}

/* ---------------------------------------------------------------------- */

int
main (int   argc,
      char *argv[])
{
  gint64 rows = 1000;
  gint64 seed = 1;
  g_autofree char *output = NULL;
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  GOptionEntry entries[] = {
    { "rows", 'n', 0, G_OPTION_ARG_INT64, &rows,
      "Number of insights to write (default 1000)", "N" },
    { "seed", 's', 0, G_OPTION_ARG_INT64, &seed,
      "Random seed (default 1)", "S" },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
      "Write to FILE instead of standard output", "FILE" },
    { NULL }
  };
  FILE *out;
  Gen gen;
  static const char header[] =
    "text,kind,date,themes,sentiment,activity,activity_kind,activity_date,ics,place,"
    "locality,age_band,sex,ethnic_group,disability,consent\r\n";

  setlocale (LC_ALL, "");

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context,
                                "Write synthetic insights as CSV for Insight Hub benchmarks.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("ih-gen: %s\n", error->message);
      return 2;
    }
  if (argc > 1)
    {
      g_printerr ("ih-gen: unexpected argument “%s”\n", argv[1]);
      return 2;
    }
  if (rows < 1 || rows > 100000000)
    {
      g_printerr ("ih-gen: --rows must be between 1 and 100000000, not %" G_GINT64_FORMAT "\n",
                  rows);
      return 2;
    }
  if (seed < 0)
    {
      g_printerr ("ih-gen: --seed must be zero or positive, not %" G_GINT64_FORMAT "\n", seed);
      return 2;
    }

  if (output == NULL || strcmp (output, "-") == 0)
    out = stdout;
  else if ((out = g_fopen (output, "wb")) == NULL)
    {
      int saved_errno = errno;
      g_autofree char *display = g_filename_display_name (output);

      g_printerr ("ih-gen: cannot write “%s”: %s\n", display, g_strerror (saved_errno));
      return 1;
    }
  setvbuf (out, NULL, _IOFBF, 1 << 20);

  gen_init (&gen, (guint64) seed);
  gen_activities (&gen, (guint64) rows);

  fputs (header, out);
  for (gint64 i = 0; i < rows; i++)
    {
      gen_row (&gen);
      fwrite (gen.line->str, 1, gen.line->len, out);
    }

  if (fflush (out) != 0 || ferror (out) || (out != stdout && fclose (out) != 0))
    {
      int saved_errno = errno;

      g_printerr ("ih-gen: write failed: %s\n", g_strerror (saved_errno));
      return 1;
    }

  /* Tables live until exit; nothing to gain from freeing them */
  return 0;
}
