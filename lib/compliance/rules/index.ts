/** The rule catalogue, in ID order. Internal: the public view is ColdStartRules. */
import { PCS1 } from './pcs1-python-runtime';
import { PCS10 } from './pcs10-bytecode';
import { PCS11 } from './pcs11-warmer-on-latest';
import { PCS12 } from './pcs12-init-profile';
import { PCS2 } from './pcs2-architecture';
import { PCS3 } from './pcs3-no-mitigation';
import { PCS4 } from './pcs4-snapstart-with-pc';
import { PCS5 } from './pcs5-snapstart-unsupported';
import { PCS6 } from './pcs6-pc-on-latest';
import { PCS7 } from './pcs7-pc-without-autoscaling';
import { PCS8 } from './pcs8-low-memory';
import { PCS9 } from './pcs9-package-size';
import { ColdStartRule } from '../engine/model';

export const ALL_RULES: readonly ColdStartRule[] = [PCS1, PCS2, PCS3, PCS4, PCS5, PCS6, PCS7, PCS8, PCS9, PCS10, PCS11, PCS12];
