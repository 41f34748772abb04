/**
 * Branches of scikit-hep-testdata files that jsroot 7.11 cannot be asked for: reading them fails inside its
 * reader, whose handler then aborts the whole process. The corpus test checks each against another reference
 * (uproot's values, a std::vector twin, or its physics); the corpus tally counts them as `noref`.
 */
export const NO_JSROOT: Readonly<Record<string, RegExp>> = {
  'uproot-issue-172.root': /_VecOps$/,
  ...Object.fromEntries(
    [
      'uproot-issue371.root',
      'uproot-issue399.root',
      'uproot-issue403.root',
      'uproot-issue404.root',
      'uproot-issue468.root',
    ].map((f) => [f, /^Geant4Data\.\/Geant4Data\.particles$/]),
  ),
  'uproot-issue494.root': /^(Geant4Data\.\/Geant4Data\.particles|Model\.\/Model\.scoringMeshTranslation)$/,
  // The split records holding a std::bitset member written without bytes (jsroot reads past the entry): their
  // other members are compared one by one, the records' lengths against test_0438 (corpus-bdsim.test.ts).
  'uproot-mc10events.root':
    /^(Info|Electron|Muon|Tau|Photon|AK4CHS|AK8CHS|CA15CHS|AK4Puppi|CA8Puppi|CA15Puppi)$/,
};
