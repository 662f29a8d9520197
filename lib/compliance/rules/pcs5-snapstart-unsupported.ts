import { beforePython312, cite, notPython, pythonName, pythonVersion } from './common';
import { AWS_RULES } from '../../shared/aws-rules';
import { ColdStartRule, compliant, nonCompliant, notApplicable, unknown } from '../engine/model';
import { isUnresolved } from '../engine/values';
import { FindingLevel } from '../types';

const R = AWS_RULES;

/** PCS5: SnapStart with EFS, ephemeral storage above 512 MB, a container image or an old runtime. */
export const PCS5: ColdStartRule = {
  id: 'PCS5',
  title: 'SnapStart with an unsupported configuration',
  defaultLevel: FindingLevel.ERROR,
  explanation: 'SnapStart is not supported with EFS, ephemeral storage above 512 MB or container images, and for Python only on python3.12+: the deployment fails.',
  fix: 'Remove FileSystemConfigs, set EphemeralStorage.Size to 512 or less, use python3.12+ in a .zip package, or set SnapStart.ApplyOn to None.',
  awsRules: [R.SNAPSTART_NO_EFS, R.SNAPSTART_EPHEMERAL_STORAGE, R.SNAPSTART_NO_CONTAINER_IMAGE, R.SNAPSTART_RUNTIME],
  evaluate(fn) {
    // Applies to every image function too: SnapStart on an image is rejected whatever its language.
    const np = fn.packageType === 'Image' ? undefined : notPython(fn);
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
    if (fn.packageType === 'Image') {
      problems.push(`a container image (${cite(R.SNAPSTART_NO_CONTAINER_IMAGE)})`);
    }
    if (isUnresolved(fn.fileSystemCount)) {
      return [unknown(fn.fileSystemCount)];
    }
    if (fn.fileSystemCount > 0) {
      problems.push(`an EFS file system in FileSystemConfigs (${cite(R.SNAPSTART_NO_EFS)})`);
    }
    if (isUnresolved(fn.ephemeralStorageMb)) {
      return [unknown(fn.ephemeralStorageMb)];
    }
    if (fn.ephemeralStorageMb > R.SNAPSTART_EPHEMERAL_STORAGE.limit!) {
      problems.push(`EphemeralStorage.Size ${fn.ephemeralStorageMb} MB (${cite(R.SNAPSTART_EPHEMERAL_STORAGE)})`);
    }
    const v = pythonVersion(fn);
    if (!isUnresolved(v) && !('status' in v) && beforePython312(v)) {
      problems.push(`runtime ${pythonName(v)} (${cite(R.SNAPSTART_RUNTIME)})`);
    }
    return problems.length === 0
      ? [compliant('SnapStart configuration is supported')]
      : [nonCompliant(`SnapStart is on with ${problems.join(' and ')}: the deployment fails. Fix those properties or set SnapStart.ApplyOn to None.`)];
  },
};
