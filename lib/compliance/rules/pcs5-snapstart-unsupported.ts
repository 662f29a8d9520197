import { notPython, pythonMinor } from './common';
import { ColdStartRule, compliant, nonCompliant, notApplicable, unknown } from '../engine/model';
import { isUnresolved } from '../engine/values';
import { FindingLevel } from '../types';

/** PCS5: SnapStart with EFS, ephemeral storage above 512 MB, a container image or an old runtime. */
export const PCS5: ColdStartRule = {
  id: 'PCS5',
  title: 'SnapStart with an unsupported configuration',
  defaultLevel: FindingLevel.ERROR,
  explanation: 'SnapStart is not supported with EFS, ephemeral storage above 512 MB or container images, and for Python only on python3.12+: the deployment fails.',
  fix: 'Remove FileSystemConfigs, set EphemeralStorage.Size to 512 or less, use python3.12+, or set SnapStart.ApplyOn to None.',
  evaluate(fn) {
    const np = notPython(fn);
    if (np) {
      return [np];
    }
    if (isUnresolved(fn.snapStart)) {
      return [unknown(fn.snapStart)];
    }
    if (fn.snapStart !== 'PublishedVersions') {
      return [notApplicable('SnapStart is off')];
    }
    const problems: string[] = [];
    if (isUnresolved(fn.fileSystemCount)) {
      return [unknown(fn.fileSystemCount)];
    }
    if (fn.fileSystemCount > 0) {
      problems.push('an EFS file system (FileSystemConfigs)');
    }
    if (isUnresolved(fn.ephemeralStorageMb)) {
      return [unknown(fn.ephemeralStorageMb)];
    }
    if (fn.ephemeralStorageMb > 512) {
      problems.push(`EphemeralStorage.Size ${fn.ephemeralStorageMb} MB (max 512 with SnapStart)`);
    }
    if (fn.packageType === 'Image') {
      problems.push('a container image');
    }
    const minor = pythonMinor(fn);
    if (typeof minor === 'number' && minor < 12) {
      problems.push(`runtime python3.${minor} (SnapStart needs python3.12+)`);
    }
    return problems.length === 0
      ? [compliant('SnapStart configuration is supported')]
      : [nonCompliant(`SnapStart is on with ${problems.join(' and ')}: Lambda rejects this (aws-facts: SnapStart). Fix those properties or set SnapStart.ApplyOn to None.`)];
  },
};
