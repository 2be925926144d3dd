"""Clinical vocabularies: SNOMED CT, RxNorm, LOINC, CVX and DICOM codes Synthea uses.

Descriptions are written as the terminologies spell them (some contain commas); they pass
through :func:`clean` once, at import, so they look the way Synthea exports them (a comma
becomes a space, hence the double spaces in real exports).
"""

from __future__ import annotations

from typing import NamedTuple

from framework.generate.fmt import clean


class Code(NamedTuple):
    code: str
    description: str


class Priced(NamedTuple):
    code: str
    description: str
    cents: int


def code(value: str, description: str) -> Code:
    return Code(value, clean(description))


def priced(value: str, description: str, cents: int) -> Priced:
    return Priced(value, clean(description), cents)


# --- encounter types per class: code, description, base cost -------------------------------
ENCOUNTER_TYPES: dict[str, tuple[Priced, ...]] = {
    "wellness": (
        priced("162673000", "General examination of patient (procedure)", 13680),
        priced("410620009", "Well child visit (procedure)", 13680),
    ),
    "ambulatory": (
        priced("185345009", "Encounter for symptom (procedure)", 8555),
        priced("185347001", "Encounter for problem (procedure)", 8555),
        priced("390906007", "Follow-up encounter (procedure)", 8555),
        priced("698314001", "Consultation for treatment (procedure)", 12916),
    ),
    "outpatient": (
        priced("185349003", "Encounter for check up (procedure)", 12916),
        priced("371883000", "Outpatient procedure (procedure)", 12916),
    ),
    "urgentcare": (priced("702927004", "Urgent care clinic (procedure)", 14258),),
    "emergency": (
        priced("50849002", "Emergency room admission (procedure)", 14618),
        priced("183452005", "Emergency hospital admission (procedure)", 14618),
    ),
    "inpatient": (
        priced("32485007", "Hospital admission (procedure)", 10634),
        priced("305408004", "Admission to surgical department (procedure)", 10634),
        priced("183495009", "Non-urgent orthopedic admission (procedure)", 10634),
    ),
}

# Department numbers claims carry per encounter class (wellness: 10 pediatric, 20 adult).
DEPARTMENTS: dict[str, str] = {
    "ambulatory": "1", "outpatient": "2", "inpatient": "3", "emergency": "4", "urgentcare": "5",
}


class Acute(NamedTuple):
    condition: Code
    days: tuple[int, int]  # how long until it resolves (STOP)
    medication: str | None  # key into MEDICATIONS
    procedure: str | None  # key into PROCEDURES
    careplan: str | None  # key into CAREPLANS


ACUTE: dict[str, Acute] = {
    "sinusitis": Acute(code("444814009", "Viral sinusitis (disorder)"), (7, 21), None, None, None),
    "pharyngitis": Acute(code("195662009", "Acute viral pharyngitis (disorder)"), (7, 14), "acetaminophen", None, None),
    "bronchitis": Acute(code("10509002", "Acute bronchitis (disorder)"), (7, 28), "acetaminophen", None, "respiratory"),
    "strep": Acute(code("43878008", "Streptococcal sore throat (disorder)"), (7, 14), "penicillin", "throat_culture", None),
    "otitis": Acute(code("65363002", "Otitis media (disorder)"), (7, 20), "amoxicillin", None, None),
    "bacterial_sinusitis": Acute(code("75498004", "Acute bacterial sinusitis (disorder)"), (10, 20), "amox_clav", None, None),
    "uti": Acute(code("68566005", "Urinary tract infectious disease (disorder)"), (5, 14), "nitrofurantoin", None, None),
    "covid": Acute(code("840539006", "COVID-19 (disorder)"), (10, 30), "acetaminophen", None, None),
    "fever": Acute(code("386661006", "Fever (finding)"), (2, 7), "ibuprofen", None, None),
    "cough": Acute(code("49727002", "Cough (finding)"), (3, 14), "loratadine", None, None),
    "sprain": Acute(code("44465007", "Sprain of ankle (disorder)"), (14, 42), "ibuprofen", None, "physical_therapy"),
    "laceration": Acute(code("284551006", "Laceration of foot (disorder)"), (14, 30), None, "suture", "wound_care"),
    "concussion": Acute(code("62106007", "Concussion with no loss of consciousness (disorder)"), (14, 60),
                        "acetaminophen", "ct_head", None),
    "fracture": Acute(code("65966004", "Fracture of forearm (disorder)"), (42, 90), "oxycodone", "immobilization",
                      "fracture_care"),
    "chest_pain": Acute(code("29857009", "Chest pain (finding)"), (1, 2), "aspirin", "ecg", None),
    "pneumonia": Acute(code("233604007", "Pneumonia (disorder)"), (14, 40), "piperacillin", "oxygen", "respiratory"),
    "mi": Acute(code("22298006", "Myocardial infarction (disorder)"), (20, 40), "clopidogrel", "pci", None),
}

AMBULATORY_ACUTE = ("sinusitis", "pharyngitis", "bronchitis", "strep", "bacterial_sinusitis", "uti", "cough", "fever")
CHILD_ACUTE = ("otitis", "pharyngitis", "strep", "fever", "cough", "bronchitis")
URGENT_ACUTE = ("sprain", "laceration", "uti", "strep", "bronchitis", "fever")
EMERGENCY_ACUTE = ("fracture", "concussion", "laceration", "chest_pain", "sprain")

# Social findings Synthea 3.x records as conditions at adult wellness visits.
FINDINGS: tuple[Code, ...] = (
    code("314529007", "Medication review due (situation)"),
    code("160903007", "Full-time employment (finding)"),
    code("160904001", "Part-time employment (finding)"),
    code("741062008", "Not in labor force (finding)"),
    code("73595000", "Stress (finding)"),
    code("224299000", "Received higher education (finding)"),
    code("422650009", "Social isolation (finding)"),
    code("713458007", "Lack of access to transportation (finding)"),
    code("10939881000119105", "Unhealthy alcohol drinking behavior (finding)"),
)
PREGNANCY = code("72892002", "Normal pregnancy (finding)")

# --- procedures ------------------------------------------------------------------------------
PROCEDURES: dict[str, Priced] = {
    "med_reconciliation": priced("430193006", "Medication reconciliation (procedure)", 5846),
    "needs_assessment": priced("710824005", "Assessment of health and social care needs (procedure)", 43140),
    "depression_screening": priced(
        "454711000124102", "Depression screening using Patient Health Questionnaire Two-Item score (procedure)", 43140
    ),
    "substance_assessment": priced("428211000124100", "Assessment of substance use (procedure)", 43140),
    "abuse_screening": priced("866148006", "Screening for domestic abuse (procedure)", 43140),
    "colonoscopy": priced("73761001", "Colonoscopy (procedure)", 896532),
    "chest_xray": priced("399208008", "Plain X-ray of chest (procedure)", 25120),
    "spirometry": priced("127783003", "Spirometry (procedure)", 47510),
    "dialysis": priced("265764009", "Renal dialysis (procedure)", 125560),
    "ecg": priced("29303009", "Electrocardiographic procedure (procedure)", 18040),
    "injection": priced("76601001", "Intramuscular injection (procedure)", 8510),
    "mammography": priced("24623002", "Screening mammography (procedure)", 35020),
    "throat_culture": priced("117015009", "Throat culture (procedure)", 10250),
    "suture": priced("288086009", "Suture open wound (procedure)", 72540),
    "immobilization": priced("274474001", "Bone immobilization (procedure)", 120075),
    "ct_head": priced("303653007", "Computed tomography of head (procedure)", 165030),
    "knee_replacement": priced("609588000", "Total knee replacement (procedure)", 2512050),
    "hip_replacement": priced("52734007", "Total replacement of hip joint (procedure)", 2803575),
    "cabg": priced("232717009", "Coronary artery bypass grafting (procedure)", 4520010),
    "pci": priced("415070008", "Percutaneous coronary intervention (procedure)", 2230060),
    "ablation": priced("18286008", "Catheter ablation of tissue of heart (procedure)", 3011045),
    "lumpectomy": priced("392021009", "Lumpectomy of breast (procedure)", 1204535),
    "oxygen": priced("371908008", "Oxygen administration by mask (procedure)", 25010),
    "substance_admin": priced("432102000", "Administration of substance (procedure)", 20030),
    "childbirth": priced("66348005", "Childbirth (procedure)", 541030),
    "echocardiography": priced("40701008", "Echocardiography (procedure)", 62010),
    "mri_brain": priced("816077007", "Magnetic resonance imaging of brain (procedure)", 190520),
}

# --- medications (RxNorm) ----------------------------------------------------------------------
MEDICATIONS: dict[str, Priced] = {
    "metformin": priced("860975", "24 HR Metformin hydrochloride 500 MG Extended Release Oral Tablet", 1893),
    "insulin": priced(
        "106892", "insulin isophane, human 70 UNT/ML / insulin, regular, human 30 UNT/ML Injectable Suspension [Humulin]",
        74010,
    ),
    "lisinopril": priced("314076", "lisinopril 10 MG Oral Tablet", 1245),
    "amlodipine": priced("197361", "amLODIPine 5 MG Oral Tablet", 962),
    "hctz": priced("310798", "Hydrochlorothiazide 25 MG Oral Tablet", 713),
    "simvastatin": priced("314231", "Simvastatin 10 MG Oral Tablet", 1522),
    "atorvastatin": priced("259255", "atorvastatin 80 MG Oral Tablet", 2964),
    "fluticasone": priced("895994", "120 ACTUAT fluticasone propionate 0.044 MG/ACTUAT Metered Dose Inhaler", 22045),
    "albuterol": priced("745679", "200 ACTUAT Albuterol 0.09 MG/ACTUAT Metered Dose Inhaler", 5611),
    "advair": priced(
        "896209", "60 ACTUAT Fluticasone propionate 0.25 MG/ACTUAT / salmeterol 0.05 MG/ACTUAT Dry Powder Inhaler", 34503
    ),
    "metoprolol": priced("866412", "24 HR Metoprolol succinate 100 MG Extended Release Oral Tablet", 2581),
    "furosemide": priced("313988", "Furosemide 40 MG Oral Tablet", 641),
    "warfarin": priced("855332", "Warfarin Sodium 5 MG Oral Tablet", 1107),
    "apixaban": priced("1364430", "apixaban 2.5 MG Oral Tablet", 48523),
    "nitroglycerin": priced("705129", "Nitroglycerin 0.4 MG/ACTUAT Mucosal Spray", 19830),
    "clopidogrel": priced("309362", "Clopidogrel 75 MG Oral Tablet", 1854),
    "aspirin": priced("243670", "aspirin 81 MG Oral Tablet", 310),
    "sertraline": priced("312938", "Sertraline 100 MG Oral Tablet", 1634),
    "escitalopram": priced("351249", "Escitalopram 10 MG Oral Tablet", 1920),
    "naproxen": priced("849574", "Naproxen sodium 220 MG Oral Tablet", 854),
    "acetaminophen": priced("313782", "Acetaminophen 325 MG Oral Tablet", 542),
    "donepezil": priced("997224", "Donepezil hydrochloride 10 MG Oral Tablet", 2750),
    "memantine": priced("996740", "Memantine hydrochloride 2 MG/ML Oral Solution", 10412),
    "alendronate": priced("904419", "Alendronic acid 10 MG Oral Tablet", 1471),
    "methotrexate": priced("105585", "Methotrexate 2.5 MG Oral Tablet", 2310),
    "levetiracetam": priced("311989", "Levetiracetam 500 MG Oral Tablet", 3145),
    "levothyroxine": priced("966222", "Levothyroxine Sodium 0.075 MG Oral Tablet", 1029),
    "anastrozole": priced("199224", "anastrozole 1 MG Oral Tablet", 4021),
    "leuprolide": priced("752899", "0.25 ML Leuprolide Acetate 30 MG/ML Prefilled Syringe", 152730),
    "amoxicillin": priced("308182", "Amoxicillin 250 MG Oral Capsule", 1236),
    "amox_clav": priced("562251", "Amoxicillin 250 MG / Clavulanate 125 MG Oral Tablet", 2245),
    "penicillin": priced("834060", "Penicillin V Potassium 250 MG Oral Tablet", 1497),
    "nitrofurantoin": priced("311995", "NITROFURANTOIN, MACROCRYSTALS 50 MG Oral Capsule", 2051),
    "ibuprofen": priced("198405", "Ibuprofen 100 MG Oral Tablet", 417),
    "oxycodone": priced("1049221", "Acetaminophen 325 MG / Oxycodone Hydrochloride 5 MG Oral Tablet", 1582),
    "piperacillin": priced("1659131", "piperacillin 4000 MG / tazobactam 500 MG Injection", 31050),
    "ondansetron": priced("1728805", "2 ML Ondansetron 2 MG/ML Injection", 1120),
    "heparin": priced("1361048", "1 ML heparin sodium, porcine 5000 UNT/ML Injection", 2815),
    "morphine": priced("1729584", "1 ML Morphine Sulfate 5 MG/ML Injection", 917),
    "loratadine": priced("665078", "Loratadine 5 MG Chewable Tablet", 780),
}
INPATIENT_MEDICATIONS = ("ondansetron", "heparin", "morphine", "piperacillin")

# --- immunizations (CVX; "08" keeps its leading zero) ------------------------------------------
IMMUNIZATIONS: dict[str, Priced] = {
    "flu": priced("140", "Influenza, seasonal, injectable, preservative free", 14052),
    "hepb": priced("08", "Hep B, adolescent or pediatric", 13600),
    "dtap": priced("20", "DTaP", 13600),
    "ipv": priced("10", "IPV", 13600),
    "hib": priced("49", "Hib (PRP-OMP)", 13600),
    "pcv13": priced("133", "Pneumococcal conjugate PCV 13", 13600),
    "rotavirus": priced("119", "rotavirus, monovalent", 13600),
    "mmr": priced("03", "MMR", 13600),
    "varicella": priced("21", "varicella", 13600),
    "hepa": priced("83", "Hep A, ped/adol, 2 dose", 13600),
    "hpv": priced("62", "HPV, quadrivalent", 13600),
    "mening": priced("114", "meningococcal MCV4P", 13600),
    "tdap": priced("115", "Tdap", 13600),
    "td": priced("113", "Td (adult) preservative free", 13600),
    "ppsv23": priced("33", "pneumococcal polysaccharide vaccine, 23 valent", 13600),
    "zoster": priced("121", "zoster", 13600),
    "covid": priced(
        "208", "SARS-COV-2 (COVID-19) vaccine, mRNA, spike protein, LNP, preservative free, 30 mcg/0.3mL dose", 13600
    ),
}
INFANT_VACCINES = ("hepb", "dtap", "ipv", "hib", "pcv13", "rotavirus")
CHILD_VACCINES = ("mmr", "varicella", "hepa", "dtap", "ipv")
TEEN_VACCINES = ("hpv", "mening", "tdap")

# --- care plans ----------------------------------------------------------------------------------
CAREPLANS: dict[str, Code] = {
    "respiratory": code("53950000", "Respiratory therapy"),
    "physical_therapy": code("91251008", "Physical therapy procedure"),
    "wound_care": code("225358003", "Wound care"),
    "fracture_care": code("385691007", "Fracture care"),
    "diabetes": code("698360004", "Diabetes self management plan"),
    "hypertension": code("443402002", "Lifestyle education regarding hypertension (procedure)"),
    "asthma": code("699728000", "Asthma self management"),
    "copd": code("412776001", "Chronic obstructive pulmonary disease clinical management plan"),
    "heart": code("735984001", "Heart failure self management plan"),
    "mental": code("736690008", "Dementia management"),
    "depression": code("718347000", "Mental health care plan"),
    "weight": code("718361005", "Weight management program"),
    "musculoskeletal": code("408580007", "Physical activity target light exercise"),
    "cancer": code("395082007", "Cancer care plan"),
    "kidney": code("736372004", "Chronic kidney disease clinical management plan"),
    "self_care": code("384758001", "Self-care interventions (procedure)"),
}

# --- devices, supplies, imaging ------------------------------------------------------------------
DEVICES: dict[str, Code] = {
    "glucose_meter": code("337414009", "Blood glucose meter (physical object)"),
    "defibrillator": code("72506001", "Implantable defibrillator, device (physical object)"),
    "cpap": code("702172008", "Home continuous positive airway pressure unit (physical object)"),
    "knee_prosthesis": code("304120007", "Total knee replacement prosthesis (physical object)"),
    "stent": code("705643001", "Coronary artery stent (physical object)"),
    "nebulizer": code("334980009", "Nebulizer (physical object)"),
}

SUPPLIES: tuple[Code, ...] = (
    code("337388004", "Blood glucose testing strips (physical object)"),
    code("706180003", "Respiratory humidifier (physical object)"),
    code("409534002", "Disposable air-purifying respirator (physical object)"),
    code("61968008", "Syringe (physical object)"),
    code("468063009", "Coated or infused surgical gown (physical object)"),
    code("272181003", "Clinical equipment and/or device (physical object)"),
    code("419343004", "Medical nitrile examination glove (physical object)"),
)


class Imaging(NamedTuple):
    body_site: Code
    modality: Code
    sop: Code
    procedure: str  # SNOMED procedure code


IMAGING: dict[str, Imaging] = {
    "chest_xray": Imaging(
        code("51185008", "Thoracic structure (body structure)"), code("DX", "Digital Radiography"),
        code("1.2.840.10008.5.1.4.1.1.1.1", "Digital X-Ray Image Storage"), "399208008",
    ),
    "immobilization": Imaging(
        code("40983000", "Arm"), code("CR", "Computed Radiography"),
        code("1.2.840.10008.5.1.4.1.1.1", "Computed Radiography Image Storage"), "168594001",
    ),
    "ct_head": Imaging(
        code("69536005", "Head structure (body structure)"), code("CT", "Computed Tomography"),
        code("1.2.840.10008.5.1.4.1.1.2", "CT Image Storage"), "303653007",
    ),
    "echocardiography": Imaging(
        code("80891009", "Heart structure (body structure)"), code("US", "Ultrasound"),
        code("1.2.840.10008.5.1.4.1.1.3.1", "Ultrasound Multiframe Image Storage"), "40701008",
    ),
    "mri_brain": Imaging(
        code("12738006", "Brain structure (body structure)"), code("MR", "Magnetic Resonance"),
        code("1.2.840.10008.5.1.4.1.1.4", "MR Image Storage"), "816077007",
    ),
}


# --- allergies -------------------------------------------------------------------------------------
class Allergen(NamedTuple):
    code: str
    system: str
    description: str
    type: str
    category: str


ALLERGENS: tuple[Allergen, ...] = (
    Allergen("419474003", "SNOMED-CT", clean("Allergy to mould"), "allergy", "environment"),
    Allergen("232347008", "SNOMED-CT", clean("Dander (animal) allergy"), "allergy", "environment"),
    Allergen("256277009", "SNOMED-CT", clean("Grass pollen (substance)"), "allergy", "environment"),
    Allergen("260147004", "SNOMED-CT", clean("House dust mite (organism)"), "allergy", "environment"),
    Allergen("762952008", "SNOMED-CT", clean("Peanut (substance)"), "allergy", "food"),
    Allergen("735029006", "SNOMED-CT", clean("Shellfish (substance)"), "allergy", "food"),
    Allergen("3718001", "SNOMED-CT", clean("Cow's milk (substance)"), "intolerance", "food"),
    Allergen("102263004", "SNOMED-CT", clean("Eggs (edible) (substance)"), "allergy", "food"),
    Allergen("7980", "RxNorm", clean("Penicillin G"), "allergy", "medication"),
    Allergen("1191", "RxNorm", clean("Aspirin"), "allergy", "medication"),
    Allergen("10831", "RxNorm", clean("Sulfamethoxazole / Trimethoprim"), "allergy", "medication"),
)

REACTIONS: tuple[Code, ...] = (
    code("247472004", "Wheal (finding)"),
    code("878820003", "Rhinoconjunctivitis (disorder)"),
    code("271807003", "Eruption of skin (disorder)"),
    code("39579001", "Anaphylaxis (disorder)"),
    code("267036007", "Dyspnea (finding)"),
    code("49727002", "Cough (finding)"),
    code("402387002", "Allergic angioedema (disorder)"),
    code("418290006", "Itching of skin (finding)"),
    code("76067001", "Sneezing (finding)"),
    code("21522001", "Abdominal pain (finding)"),
)
SEVERITIES = ("MILD", "MODERATE", "SEVERE")


# --- observations (LOINC) ----------------------------------------------------------------------------
class Loinc(NamedTuple):
    code: str
    description: str
    units: str


def loinc(value: str, description: str, units: str) -> Loinc:
    return Loinc(value, clean(description), units)


OBS: dict[str, Loinc] = {
    "height": loinc("8302-2", "Body Height", "cm"),
    "weight": loinc("29463-7", "Body Weight", "kg"),
    "bmi": loinc("39156-5", "Body mass index (BMI) [Ratio]", "kg/m2"),
    "diastolic": loinc("8462-4", "Diastolic Blood Pressure", "mm[Hg]"),
    "systolic": loinc("8480-6", "Systolic Blood Pressure", "mm[Hg]"),
    "heart_rate": loinc("8867-4", "Heart rate", "/min"),
    "resp_rate": loinc("9279-1", "Respiratory rate", "/min"),
    "temperature": loinc("8310-5", "Body temperature", "Cel"),
    "pain": loinc("72514-3", "Pain severity - 0-10 verbal numeric rating [Score] - Reported", "{score}"),
    "smoking": loinc("72166-2", "Tobacco smoking status", ""),
    "phq2": loinc("55758-7", "Patient Health Questionnaire 2 item (PHQ-2) total score [Reported]", "{score}"),
    "phq9": loinc("44261-6", "Patient Health Questionnaire 9 item (PHQ-9) total score [Reported]", "{score}"),
    "a1c": loinc("4548-4", "Hemoglobin A1c/Hemoglobin.total in Blood", "%"),
    "glucose": loinc("2339-0", "Glucose [Mass/volume] in Blood", "mg/dL"),
    "cholesterol": loinc("2093-3", "Cholesterol [Mass/volume] in Serum or Plasma", "mg/dL"),
    "triglycerides": loinc("2571-8", "Triglycerides", "mg/dL"),
    "ldl": loinc("18262-6", "Low Density Lipoprotein Cholesterol", "mg/dL"),
    "hdl": loinc("2085-9", "High Density Lipoprotein Cholesterol", "mg/dL"),
    "egfr": loinc(
        "33914-3",
        "Glomerular filtration rate/1.73 sq M.predicted [Volume Rate/Area] in Serum, Plasma or Blood by "
        "Creatinine-based formula (MDRD)",
        "mL/min/{1.73_m2}",
    ),
    "creatinine": loinc("38483-4", "Creatinine [Mass/volume] in Blood", "mg/dL"),
    "oxygen_sat": loinc("2708-6", "Oxygen saturation in Arterial blood", "%"),
    "fev1": loinc("19926-5", "FEV1/FVC", "%"),
    "mmse": loinc("72107-6", "Mini Mental State Examination", "{score}"),
    "nt_probnp": loinc("33762-6", "NT-proBNP", "pg/mL"),
}
SMOKING_TEXT = {
    "never": clean("Never smoked tobacco (finding)"),
    "former": clean("Former smoker (finding)"),
    "current": clean("Smokes tobacco daily (finding)"),
}
