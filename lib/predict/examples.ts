/**
 * The six example sentences of the original project's demo (notebook 05 and the web app show them).
 *
 * @module
 */

/** The demo sentences, in the original order. */
export const EXAMPLE_SENTENCES: readonly string[] = [
  "The patient was treated with acetaminophen and ibuprofen for fever. Later, amoxicillin was prescribed to treat a bacterial infection.",
  "Recent studies show that patients with hypertension are at higher risk of developing chronic kidney disease.",
  "Clonidine and naloxone were tested for their effects on spontaneously hypertensive rats, showing significant blood pressure reduction.",
  "Warfarin increases the risk of bleeding when combined with aspirin or clopidogrel.",
  "Alpha-methyldopa is used as an antihypertensive agent, especially in cases of preeclampsia.",
  "Treatment with cisplatin caused nephrotoxicity, leading to renal damage and increased creatinine levels.",
];
