/**
 * Gender accuracy of fr_gender on a balanced, labelled part of lfw-dev, with age (fr_age reads
 * the same kind of crop) as a guard. Numbers, not a test.
 *
 *   npm run eval:gender -- [--faces DIR] [--grid] [--limit N] [--save FILE | --load FILE]
 *
 * Labels: the public figures below whose gender is certain (157 women / 643 photos, 117 men /
 * 786 photos, every photo of each). Ages: people with well-known birth years, age taken at 2002
 * (most LFW photos are from 2002-2003).
 *
 * Each photo goes through the engine's own detector (default settings); the face nearest the
 * image centre is the labelled person. Then:
 * - "engine": estimateAgeGender exactly as shipped (src/engine/age-gender.ts);
 * - with --grid, every preprocessing variant on the raw SSR-Net output: crop (square of k× the
 *   box's longer side, or the box scaled k× and stretched as the model package does), channel
 *   order (RGB/BGR), normalisation (ImageNet mean/std, raw 0..255, /255, ±1), mirrored crop.
 *
 * For each: accuracy on women and on men at 0.5 (output ≥ 0.5 = male), balanced accuracy (their
 * mean), ROC AUC of the output as a male score (< 0.5 would mean the output is P(female)), the
 * output value t* where the two error rates are equal and the balanced accuracy there, and the
 * same t* picked on either half of the identities and scored on the other half (2-fold by
 * identity: both thresholds, mean balanced accuracy). Age: mean absolute error, Pearson r, mean
 * prediction (ImageNet-normalised variants only).
 *
 * --limit N keeps N photos per person (quick look); --save FILE writes every per-photo output as
 * JSON and --load FILE prints the tables from it without running the models. The full grid
 * runs ~1,500 photos × 115 variants in ~2.5 min on one core.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { InferenceSession } from 'onnxruntime-node';
import { estimateAgeGender, IMAGENET_MEAN, IMAGENET_STD, ssrDecode } from '../src/engine/age-gender.ts';
import { contextRect } from '../src/engine/crops.ts';
import { type Box, detectFaces } from '../src/engine/detect.ts';
import { decodeImage } from '../src/engine/image.ts';
import { loadSessions, run } from '../src/engine/models.ts';
import { mirror, Pyramid, rectAffine, type Rgb, toChw } from '../src/engine/raster.ts';
import { DEFAULT_MIN_FACE_SIZE } from '../src/engine/types.ts';
import { parseFlags, resolveFacesDir } from './dataset.ts';

// prettier-ignore
export const WOMEN = [
  'Allyson_Felix', 'Amanda_Beard', 'Amanda_Coetzer', 'Amelia_Vega', 'Amelie_Mauresmo', 'Ana_Palacio', 'Anastasia_Myskina',
  'Angela_Bassett', 'Angelina_Jolie', 'Ann_Veneman', 'Anna_Nicole_Smith', 'Anne_McLellan', 'Anneli_Jaatteenmaki', 'Annette_Lu',
  'Arantxa_Sanchez-Vicario', 'Aung_San_Suu_Kyi', 'Benazir_Bhutto', 'Blythe_Danner', 'Calista_Flockhart', 'Cameron_Diaz',
  'Candie_Kung', 'Carla_Del_Ponte', 'Carly_Fiorina', 'Carol_Burnett', 'Carol_Moseley_Braun', 'Caroline_Kennedy',
  'Carolyn_Dawn_Johnson', 'Carrie-Anne_Moss', 'Catherine_Zeta-Jones', 'Charlotte_Rampling', 'Cherie_Blair', 'Chita_Rivera',
  'Christine_Ebersole', 'Christine_Gregoire', 'Christine_Todd_Whitman', 'Cindy_Crawford', 'Cindy_Margolis', 'Clara_Harris',
  'Clare_Short', 'Claudia_Pechstein', 'Conchita_Martinez', 'Condoleezza_Rice', 'Constance_Marie', 'Courtney_Love',
  'Cristina_Fernandez', 'Cyndi_Thompson', 'Debbie_Reynolds', 'Diana_Krall', 'Diana_Munz', 'Diana_Taurasi', 'Dianne_Feinstein',
  'Dolly_Parton', 'Donatella_Versace', 'Donna_Shalala', 'Drew_Barrymore', 'Edie_Falco', 'Edwina_Currie', 'Elena_Bovina',
  'Elinor_Caplan', 'Elizabeth_Smart', 'Elizabeth_Taylor', 'Emily_Robison', 'Emma_Watson', 'Emmanuelle_Beart', 'Erin_Runnion',
  'Eunice_Barber', 'Evan_Rachel_Wood', 'Fran_Drescher', 'Gisele_Bundchen', 'Gloria_Allred', 'Goldie_Hawn', 'Gwyneth_Paltrow',
  'Halle_Berry', 'Hanan_Ashrawi', 'Heidi_Fleiss', 'Heidi_Klum', 'Hillary_Clinton', 'Hitomi_Soga', 'Iva_Majoli',
  'Jada_Pinkett_Smith', 'Jane_Pauley', 'Janet_Napolitano', 'Jennifer_Aniston', 'Jennifer_Lopez', 'Jessica_Alba',
  'Jessica_Lange', 'Jo_Dee_Messina', 'Judi_Dench', 'Julia_Tymoshenko', 'Julianna_Margulies', 'Julianne_Moore',
  'Julie_Gerberding', 'Kalpana_Chawla', 'Karen_Mok', 'Kate_Hudson', 'Kathleen_Kennedy_Townsend', 'Kelli_White', 'Kristin_Davis',
  'LeAnn_Rimes', 'Laura_Bush', 'Laura_Linney', 'Lily_Tomlin', 'Lina_Krasnoroutskaya', 'Lisa_Raymond', 'Lynn_Redgrave',
  'Madonna', 'Magdalena_Maleeva', 'Mariah_Carey', 'Marina_Anissina', 'Martha_Burk', 'Mary-Kate_Olsen', 'Melissa_Etheridge',
  'Michelle_Kwan', 'Michelle_Rodriguez', 'Michelle_Yeoh', 'Monica_Seles', 'Monique_Garbrecht-Enfeldt', 'Nancy_Pelosi',
  'Nancy_Sinatra', 'Natalie_Coughlin', 'Natalie_Maines', 'Noelle_Bush', 'Norah_Jones', 'Oprah_Winfrey', 'Paris_Hilton',
  'Patricia_Clarkson', 'Patricia_Heaton', 'Penelope_Cruz', 'Princess_Anne', 'Priscilla_Owen', 'Queen_Beatrix', 'Queen_Rania',
  'Rachel_Griffiths', 'Raghad_Saddam_Hussein', 'Rebecca_Romijn-Stamos', 'Rita_Grande', 'Ruth_Dreifuss', 'Sally_Field',
  'Sally_Ride', 'Samira_Makhmalbaf', 'Sandra_Bullock', 'Sarah_Hughes', 'Sarah_Michelle_Gellar', 'Sharon_Osbourne',
  'Sheila_Wellstone', 'Sheryl_Crow', 'Sila_Calderon', 'Silvia_Farina_Elia', 'Steffi_Graf', 'Susan_Collins', 'Susan_Sarandon',
  'Torri_Edwards', 'Uma_Thurman', 'Venus_Williams', 'Victoria_Beckham', 'Winona_Ryder', 'Yoko_Ono',
];

// prettier-ignore
export const MEN = [
  'Abdullah_Gul', 'Al_Gore', 'Al_Pacino', 'Alec_Baldwin', 'Alvaro_Uribe', 'Anthony_Hopkins', 'Ariel_Sharon',
  'Arnold_Schwarzenegger', 'Ashton_Kutcher', 'Bashar_Assad', 'Ben_Affleck', 'Bill_Gates', 'Bob_Hope', 'Boris_Becker',
  'Boris_Yeltsin', 'Bruce_Springsteen', 'Carlos_Menem', 'Chen_Shui-bian', 'Chris_Rock', 'Christopher_Walken', 'Clint_Eastwood',
  'Colin_Farrell', 'Colin_Powell', 'Dalai_Lama', 'Daniel_Radcliffe', 'David_Nalbandian', 'Denzel_Washington', 'Donald_Rumsfeld',
  'Dwayne_Johnson', 'Elton_John', 'Eric_Clapton', 'Ethan_Hawke', 'Evander_Holyfield', 'Francis_Ford_Coppola', 'Garry_Kasparov',
  'George_HW_Bush', 'George_W_Bush', 'Gerard_Depardieu', 'Gerhard_Schroeder', 'Gordon_Brown', 'Gray_Davis', 'Harrison_Ford',
  'Heath_Ledger', 'Hosni_Mubarak', 'Hugo_Chavez', 'Igor_Ivanov', 'Jack_Nicholson', 'Jack_Straw', 'Jacques_Chirac', 'Jason_Kidd',
  'Jeb_Bush', 'Jim_Carrey', 'Jimmy_Carter', 'John_Bolton', 'John_Malkovich', 'John_Negroponte', 'John_Travolta', 'Johnny_Depp',
  'Joschka_Fischer', 'Justin_Timberlake', 'Keanu_Reeves', 'King_Abdullah_II', 'Kobe_Bryant', 'LeBron_James', 'Lennox_Lewis',
  'Leonardo_DiCaprio', 'Li_Zhaoxing', 'Lleyton_Hewitt', 'Mahmoud_Abbas', 'Marat_Safin', 'Martin_Scorsese', 'Matt_Damon',
  'Mel_Brooks', 'Michael_Bloomberg', 'Michael_Chang', 'Michael_Phelps', 'Michael_Schumacher', 'Mike_Tyson', 'Muhammad_Ali',
  'Nelson_Mandela', 'Nestor_Kirchner', 'Oscar_De_La_Hoya', 'Ozzy_Osbourne', 'Paradorn_Srichaphan', 'Paul_Wolfowitz',
  'Pete_Sampras', 'Pierce_Brosnan', 'Prince_Charles', 'Prince_Harry', 'Recep_Tayyip_Erdogan', 'Ricardo_Lagos',
  'Richard_Branson', 'Robert_Duvall', 'Robert_Mugabe', 'Robert_Redford', 'Roh_Moo-hyun', 'Ronald_Reagan', 'Saddam_Hussein',
  'Salman_Rushdie', 'Sergey_Lavrov', 'Steven_Seagal', 'Steven_Spielberg', 'Strom_Thurmond', 'Tang_Jiaxuan', 'Thabo_Mbeki',
  'Tim_Duncan', 'Tom_Cruise', 'Tom_Daschle', 'Tommy_Franks', 'Vicente_Fox', 'Vin_Diesel', 'Walter_Mondale', 'Warren_Buffett',
  'Wayne_Gretzky', 'Yasser_Arafat', 'Zhu_Rongji', 'Zinedine_Zidane',
];

/** Birth years of people whose ages are well known; the photos are taken as from 2002. */
// prettier-ignore
export const BORN: Record<string, number> = {
  Angelina_Jolie: 1975, Jennifer_Aniston: 1969, Jennifer_Lopez: 1969, 'Catherine_Zeta-Jones': 1969, Halle_Berry: 1966,
  Julianne_Moore: 1960, Winona_Ryder: 1971, Venus_Williams: 1980, Nancy_Pelosi: 1940, Condoleezza_Rice: 1954,
  Hillary_Clinton: 1947, Laura_Bush: 1946, Norah_Jones: 1979, Kate_Hudson: 1979, Michelle_Kwan: 1980, Goldie_Hawn: 1945,
  Sheryl_Crow: 1962, Ann_Veneman: 1949, Julie_Gerberding: 1955, Amelie_Mauresmo: 1979, Gwyneth_Paltrow: 1972,
  Susan_Sarandon: 1946, Cameron_Diaz: 1972, Monica_Seles: 1973, Steffi_Graf: 1969, Oprah_Winfrey: 1954, Madonna: 1958,
  Yoko_Ono: 1933, Queen_Beatrix: 1938, Sarah_Hughes: 1985, Natalie_Coughlin: 1982, Angela_Bassett: 1958,
  Calista_Flockhart: 1964, Michelle_Yeoh: 1962, Queen_Rania: 1970, Benazir_Bhutto: 1953, Judi_Dench: 1934,
  Dolly_Parton: 1946, Sandra_Bullock: 1964, Heidi_Klum: 1973, 'Carrie-Anne_Moss': 1967, Debbie_Reynolds: 1932,
  George_W_Bush: 1946, Colin_Powell: 1937, Donald_Rumsfeld: 1932, Al_Gore: 1948, Arnold_Schwarzenegger: 1947, Bill_Gates: 1955,
  Jacques_Chirac: 1932, Gerhard_Schroeder: 1944, Vicente_Fox: 1942, Hugo_Chavez: 1954, Ariel_Sharon: 1928, Yasser_Arafat: 1929,
  Saddam_Hussein: 1937, Jimmy_Carter: 1924, George_HW_Bush: 1924, Walter_Mondale: 1928, Tom_Cruise: 1962, Harrison_Ford: 1942,
  Pierce_Brosnan: 1953, Keanu_Reeves: 1964, Leonardo_DiCaprio: 1974, Justin_Timberlake: 1981, Michael_Schumacher: 1969,
  Pete_Sampras: 1971, Lleyton_Hewitt: 1981, Muhammad_Ali: 1942, John_Travolta: 1954, Robert_Redford: 1936,
  Clint_Eastwood: 1930, Jeb_Bush: 1953, Gordon_Brown: 1951, Jack_Straw: 1946, Tom_Daschle: 1947, Michael_Bloomberg: 1942,
  Paul_Wolfowitz: 1943, John_Bolton: 1948, Hosni_Mubarak: 1928, Mahmoud_Abbas: 1935, Recep_Tayyip_Erdogan: 1954,
  'Roh_Moo-hyun': 1946, Alvaro_Uribe: 1952, Ricardo_Lagos: 1938, Carlos_Menem: 1930, Nestor_Kirchner: 1950, Zhu_Rongji: 1928,
  Igor_Ivanov: 1945, Sergey_Lavrov: 1950, Joschka_Fischer: 1948, Abdullah_Gul: 1950, Elton_John: 1947,
  Denzel_Washington: 1954, Ben_Affleck: 1972, Colin_Farrell: 1976, Steven_Spielberg: 1946, Martin_Scorsese: 1942,
  Nelson_Mandela: 1918, Prince_Charles: 1948, Strom_Thurmond: 1902, Richard_Myers: 1942, Tommy_Franks: 1945,
  Tommy_Thompson: 1941, Gray_Davis: 1942, John_Negroponte: 1939, Richard_Armitage: 1945, Michael_Chang: 1972,
  Paradorn_Srichaphan: 1979, David_Nalbandian: 1982, Rubens_Barrichello: 1972, Jason_Kidd: 1973, Tim_Duncan: 1976,
  Kobe_Bryant: 1978, LeBron_James: 1984, Daniel_Radcliffe: 1989, Prince_Harry: 1984, Warren_Buffett: 1930, Jack_Nicholson: 1937,
  Al_Pacino: 1940, Edmund_Stoiber: 1941, 'Jean-Pierre_Raffarin': 1948, Tang_Jiaxuan: 1938, Li_Zhaoxing: 1940,
  King_Abdullah_II: 1962, Bashar_Assad: 1965, Mike_Tyson: 1966,
};
const PHOTO_YEAR = 2002;

const SIDE = 64;
const NORMS = {
  imagenet: [IMAGENET_MEAN, IMAGENET_STD],
  raw: [[0, 0, 0], [1, 1, 1]],
  unit: [[0, 0, 0], [255, 255, 255]],
  pm1: [[127.5, 127.5, 127.5], [127.5, 127.5, 127.5]],
} as const;
type Norm = keyof typeof NORMS;
type Order = 'rgb' | 'bgr';

interface Crop {
  name: string;
  make(pyr: Pyramid, box: Box): Rgb;
}

/** Square of k× the box's longer side about its centre (outside the image reads black). */
const squareCrop = (k: number): Crop => ({
  name: `square ${k.toFixed(1)}x`,
  make(pyr, box) {
    const side = k * Math.max(box.x2 - box.x1, box.y2 - box.y1);
    return pyr.warp(rectAffine((box.x1 + box.x2 - side) / 2, (box.y1 + box.y2 - side) / 2, side, side, SIDE, SIDE), SIDE, SIDE);
  },
});

/** The model package's crop: the box scaled k×, slid inside the image, stretched to 64×64. */
const stretchCrop = (k: number): Crop => ({
  name: `stretch ${k.toFixed(1)}x`,
  make(pyr, box) {
    const r = contextRect(box, k, pyr.width, pyr.height);
    return pyr.warp(rectAffine(r.x, r.y, r.w, r.h, SIDE, SIDE), SIDE, SIDE);
  },
});

interface Variant {
  name: string;
  crop: number;
  order: Order;
  norm: Norm;
  flip: boolean;
}

interface Photo {
  id: string;
  file: string;
  /** 1 man, 0 woman, undefined: not in the gender set. */
  male?: 0 | 1;
  age?: number;
}

// ---------------------------------------------------------------- metrics

/** P(score of a random man > score of a random woman), ties counted half. */
export function rocAuc(scores: readonly number[], male: readonly (0 | 1)[]): number {
  const idx = scores.map((_, i) => i).sort((a, b) => scores[a]! - scores[b]!);
  let rankSumMen = 0;
  let men = 0;
  for (let i = 0; i < idx.length; ) {
    let j = i + 1;
    while (j < idx.length && scores[idx[j]!] === scores[idx[i]!]) j++;
    const rank = (i + j + 1) / 2; // 1-based mean rank of the tie group
    for (let k = i; k < j; k++) if (male[idx[k]!]) (rankSumMen += rank), men++;
    i = j;
  }
  const women = scores.length - men;
  return (rankSumMen - (men * (men + 1)) / 2) / (men * women);
}

export interface ClassAccuracy {
  women: number;
  men: number;
  balanced: number;
}

/** Accuracy per class with "male" = score ≥ t. */
export function classAccuracy(scores: readonly number[], male: readonly (0 | 1)[], t: number): ClassAccuracy {
  let w = 0;
  let wOk = 0;
  let m = 0;
  let mOk = 0;
  scores.forEach((s, i) => {
    if (male[i]) (m++, s >= t && mOk++);
    else (w++, s < t && wOk++);
  });
  return { women: wOk / w, men: mOk / m, balanced: (wOk / w + mOk / m) / 2 };
}

/**
 * The threshold where the share of women at or above it equals the share of men below it
 * (equal error rate), midway between the two neighbouring scores.
 */
export function equalErrorThreshold(scores: readonly number[], male: readonly (0 | 1)[]): number {
  const idx = scores.map((_, i) => i).sort((a, b) => scores[a]! - scores[b]!);
  const men = male.reduce<number>((n, m) => n + m, 0);
  const women = scores.length - men;
  // sweep t upwards through the gaps between distinct scores: below t are `menBelow` men, `womenBelow` women
  let menBelow = 0;
  let womenBelow = 0;
  let best = scores[idx[0]!]! - 1e-6;
  let bestGap = Math.abs(1 - 0); // t below everything: every woman wrong, no man wrong
  for (let i = 0; i < idx.length; ) {
    let j = i;
    do {
      if (male[idx[j]!]) menBelow++;
      else womenBelow++;
      j++;
    } while (j < idx.length && scores[idx[j]!] === scores[idx[i]!]);
    const t = j < idx.length ? (scores[idx[i]!]! + scores[idx[j]!]!) / 2 : scores[idx[i]!]! + 1e-6;
    const gap = Math.abs((women - womenBelow) / women - menBelow / men);
    if (gap < bestGap) (bestGap = gap), (best = t);
    i = j;
  }
  return best;
}

/**
 * 2-fold by identity: the equal-error threshold picked on one half of the people, balanced
 * accuracy on the other half; the mean of both ways and the two thresholds.
 */
function crossValidated(scores: readonly number[], photos: readonly Photo[]): { balanced: number; thresholds: number[] } {
  const ids = [...new Set(photos.map((p) => p.id))].sort();
  const fold = new Map(ids.map((id, i) => [id, i % 2]));
  let sum = 0;
  const thresholds: number[] = [];
  for (const f of [0, 1]) {
    const pick = (train: boolean) => photos.flatMap((p, i) => ((fold.get(p.id) === f) === train ? [i] : []));
    const tr = pick(true);
    const te = pick(false);
    const t = equalErrorThreshold(tr.map((i) => scores[i]!), tr.map((i) => photos[i]!.male!));
    thresholds.push(t);
    sum += classAccuracy(te.map((i) => scores[i]!), te.map((i) => photos[i]!.male!), t).balanced;
  }
  return { balanced: sum / 2, thresholds };
}

function pearson(x: readonly number[], y: readonly number[]): number {
  const n = x.length;
  const mx = x.reduce((a, b) => a + b, 0) / n;
  const my = y.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i]! - mx) * (y[i]! - my);
    sxx += (x[i]! - mx) ** 2;
    syy += (y[i]! - my) ** 2;
  }
  return sxy / Math.sqrt(sxx * syy);
}

// ---------------------------------------------------------------- run

/** Everything measured per photo (what --save writes and --load reads back). */
interface Collected {
  photos: Photo[];
  missed: number;
  seconds: number;
  engine: { male: number[]; age: number[] };
  /** fr_gender's varying raw outputs on the shipped input (square 1.2×, BGR, ImageNet). */
  raw: { name: string; values: number[] }[];
  variants: { name: string; male: number[]; age: number[] }[];
}

const isMain = process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const flags = parseFlags(process.argv.slice(2));
  const load = flags.get('load');
  const c = load ? (JSON.parse(readFileSync(load, 'utf8')) as Collected) : await collect(flags);
  const save = flags.get('save');
  if (save) writeFileSync(save, JSON.stringify(c));
  report(c);
}

async function collect(flags: Map<string, string>): Promise<Collected> {
  const root = path.join(resolveFacesDir(flags.get('faces')), 'lfw-dev');
  const limit = flags.has('limit') ? Number(flags.get('limit')) : Infinity;

  const photos: Photo[] = [];
  const ids = new Set([...WOMEN, ...MEN, ...Object.keys(BORN)]);
  for (const id of [...ids].sort()) {
    const files = readdirSync(path.join(root, id)).sort((a, b) => parseInt(a, 10) - parseInt(b, 10));
    const male = WOMEN.includes(id) ? 0 : MEN.includes(id) ? 1 : undefined;
    const born = BORN[id];
    for (const f of files.slice(0, limit)) {
      photos.push({ id, file: path.join(root, id, f), male, age: born === undefined ? undefined : PHOTO_YEAR - born });
    }
  }

  const crops: Crop[] = [];
  const variants: Variant[] = [];
  if (flags.has('grid')) {
    for (const k of [1.0, 1.1, 1.2, 1.3, 1.4, 1.5, 1.6]) crops.push(squareCrop(k));
    for (const k of [1.0, 1.2, 1.4, 1.6]) crops.push(stretchCrop(k));
    crops.forEach((c, crop) => {
      for (const order of ['rgb', 'bgr'] as const) {
        for (const norm of Object.keys(NORMS) as Norm[]) {
          variants.push({ name: `${c.name} ${order} ${norm}`, crop, order, norm, flip: false });
        }
        variants.push({ name: `${c.name} ${order} imagenet +mirror`, crop, order, norm: 'imagenet', flip: true });
      }
    });
  }

  const s = await loadSessions();
  const out: Collected = {
    photos: [],
    missed: 0,
    seconds: 0,
    engine: { male: [], age: [] },
    raw: ['prob_stage_1[0]', 'index_offset_stage1[0]', 'stage1_delta_k'].map((name) => ({ name, values: [] })),
    variants: variants.map((v) => ({ name: v.name, male: [], age: [] })),
  };
  const t0 = performance.now();

  const ssr = async (session: InferenceSession, img: Rgb, v: Variant, range: number): Promise<number> => {
    const [mean, std] = NORMS[v.norm];
    const once = async (x: Rgb) => ssrDecode(await run(session, toChw(x, mean, std, v.order), [1, 3, SIDE, SIDE]), range);
    return v.flip ? ((await once(img)) + (await once(mirror(img)))) / 2 : once(img);
  };

  for (const [n, p] of photos.entries()) {
    if (n % 200 === 0) process.stderr.write(`${n}/${photos.length} photos, ${((performance.now() - t0) / 1000).toFixed(0)} s\n`);
    const image = await decodeImage(new Uint8Array(readFileSync(p.file)));
    const pyr = new Pyramid(image);
    const boxes = await detectFaces(s.fr_detect, pyr, { minFaceSize: DEFAULT_MIN_FACE_SIZE, threshold: 0.9 });
    const d = (b: Box) => Math.hypot((b.x1 + b.x2) / 2 - image.width / 2, (b.y1 + b.y2) / 2 - image.height / 2);
    const box = boxes.sort((a, b) => d(a) - d(b))[0];
    if (!box) {
      out.missed++;
      continue;
    }
    out.photos.push(p);
    const e = await estimateAgeGender(s.fr_age, s.fr_gender, pyr, box);
    out.engine.male.push(e.male);
    out.engine.age.push(e.age);
    const x = toChw(squareCrop(1.2).make(pyr, box), IMAGENET_MEAN, IMAGENET_STD, 'bgr');
    const o = await run(s.fr_gender, x, [1, 3, SIDE, SIDE]);
    [o.prob_stage_1![0]!, o.index_offset_stage1![0]!, o.stage1_delta_k![0]!].forEach((v, k) => out.raw[k]!.values.push(v));
    const made = crops.map((c) => c.make(pyr, box));
    for (const [i, v] of variants.entries()) {
      const r = out.variants[i]!;
      r.male.push(p.male === undefined ? NaN : await ssr(s.fr_gender, made[v.crop]!, v, 1));
      r.age.push(p.age === undefined || v.norm !== 'imagenet' ? NaN : await ssr(s.fr_age, made[v.crop]!, v, 101));
    }
  }
  out.seconds = (performance.now() - t0) / 1000;
  return out;
}

function report(c: Collected): void {
  const g = c.photos.flatMap((p, i) => (p.male === undefined ? [] : [i]));
  const a = c.photos.flatMap((p, i) => (p.age === undefined ? [] : [i]));
  const gPhotos = g.map((i) => c.photos[i]!);
  const labels = gPhotos.map((p) => p.male!);
  const people = (ps: Photo[]) => new Set(ps.map((p) => p.id)).size;
  const aPhotos = a.map((i) => c.photos[i]!);
  const trueAge = aPhotos.map((p) => p.age!);
  console.log(
    `${c.photos.length} photos with a face (${c.missed} without) in ${c.seconds.toFixed(0)} s; ` +
      `gender: ${labels.filter((m) => !m).length} photos of ${people(gPhotos.filter((p) => !p.male))} women, ` +
      `${labels.filter((m) => m).length} of ${people(gPhotos.filter((p) => p.male))} men; ` +
      `age: ${a.length} photos of ${people(aPhotos)} people (mean true age ${mean(trueAge).toFixed(1)})`,
  );

  const pct = (x: number) => `${(100 * x).toFixed(1)}`.padStart(5);
  console.log(`\n${'variant'.padEnd(36)} women   men   bal.   AUC    t*   bal@t* | halves: t*    bal@t* | age MAE     r  mean`);
  const row = (name: string, gs: number[], ages: number[]): { bal: number; name: string } => {
    // a non-finite output (SSR's divisor 1 + Δ reaches 0 on some far-off inputs) counts as undecided
    const raw = g.map((i) => gs[i]!);
    const bad = raw.filter((x) => !Number.isFinite(x)).length;
    const sc = raw.map((x) => (Number.isFinite(x) ? x : 0.5));
    const acc = classAccuracy(sc, labels, 0.5);
    const t = equalErrorThreshold(sc, labels);
    const accT = classAccuracy(sc, labels, t);
    const cv = crossValidated(sc, gPhotos);
    let ageText = '';
    if (a.length && Number.isFinite(ages[a[0]!])) {
      const pr = a.map((i) => Math.min(100, Math.max(0, ages[i]!)));
      const mae = mean(pr.map((x, j) => Math.abs(x - trueAge[j]!)));
      ageText = ` | ${mae.toFixed(1).padStart(7)} ${pearson(pr, trueAge).toFixed(2).padStart(5)} ${mean(pr).toFixed(1).padStart(5)}`;
    }
    console.log(
      `${name.padEnd(36)} ${pct(acc.women)} ${pct(acc.men)} ${pct(acc.balanced)}  ${rocAuc(sc, labels).toFixed(3)} ${t.toFixed(3)} ${pct(accT.balanced)}  | ${cv.thresholds.map((x) => x.toFixed(3)).join('/')} ${pct(cv.balanced)}${ageText}` +
        (bad ? ` (${bad} non-finite)` : ''),
    );
    return { bal: acc.balanced, name };
  };

  row('engine (as shipped)', c.engine.male, c.engine.age);
  console.log(
    `  square 1.2x bgr imagenet: ROC AUC as a male score of ` +
      c.raw.map((r) => `${r.name} ${rocAuc(g.map((i) => r.values[i]!), labels).toFixed(3)}`).join(', ') +
      ' (the other bins of stage 1 and all of stages 2-3 do not vary with the face)',
  );
  const results = c.variants.map((v) => row(v.name, v.male, v.age));
  if (results.length) {
    console.log('\nbest balanced accuracy at 0.5:');
    for (const r of [...results].sort((x, y) => y.bal - x.bal).slice(0, 5)) console.log(`  ${pct(r.bal)} % ${r.name}`);
  }

  // per-identity view of the engine's output: who is called the wrong gender on most photos
  const wrong = new Map<string, [number, number]>();
  g.forEach((i, j) => {
    const p = c.photos[i]!;
    const w = wrong.get(p.id) ?? [0, 0];
    w[1]++;
    if ((c.engine.male[i]! >= 0.5 ? 1 : 0) !== labels[j]) w[0]++;
    wrong.set(p.id, w);
  });
  const worst = [...wrong].filter(([, [bad, n]]) => bad / n > 0.5).sort((x, y) => y[1][0] - x[1][0]);
  console.log(`\nengine: people wrong on most of their photos (${worst.length}): ${worst.map(([id, [bad, n]]) => `${id} ${bad}/${n}`).join(', ')}`);
}

function mean(x: readonly number[]): number {
  return x.reduce((a, b) => a + b, 0) / x.length;
}
