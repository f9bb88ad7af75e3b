/**
 * What the demo generator adds to the reference data: each marketplace's share of listings
 * and how it words conditions, typical exchange rates, and the category taxonomy with
 * brands/models and price levels. Prices are typical USD prices of a mid-range new item;
 * `|x` after a model or attribute is a price multiplier, so "iPhone 15 Pro Max|1.8" costs
 * 1.8x the category level.
 */
import { type Marketplace, MARKETPLACES, type ProductCondition as Condition } from '../../lib/reference';

export type { Condition };

/** The currencies of the demo marketplaces. */
export type CurrencyCode = 'USD' | 'EUR' | 'GBP' | 'JPY';

/** Units of each currency per US dollar (rough, fixed: demo data, not accounting); demo rates wander around these. */
export const TYPICAL_PER_USD: Readonly<Record<CurrencyCode, number>> = { USD: 1, EUR: 0.92, GBP: 0.79, JPY: 150 };

/** Marketplace wording for each normalized condition; null means "the listing did not say". */
export type ConditionWording = Readonly<Partial<Record<Condition, readonly (string | null)[]>>>;

/** A reference marketplace with what the demo needs to generate its listings. */
export type MarketplaceSpec = Marketplace & {
  currency: CurrencyCode;
  /** Relative share of demo listings. */
  weight: number;
  /** Relative frequency of each condition on this marketplace; absent = never. */
  conditionWeights: Readonly<Partial<Record<Condition, number>>>;
  conditionWording: ConditionWording;
};

const EBAY_EN_WORDING: ConditionWording = {
  NEW: ['Brand New', 'New'],
  OPEN_BOX: ['Open box', 'New other (see details)'],
  REFURBISHED: ['Certified - Refurbished', 'Excellent - Refurbished', 'Seller refurbished'],
  USED: ['Pre-owned', 'Used'],
  FOR_PARTS: ['For parts or not working'],
  UNKNOWN: [null],
};

const EBAY_CONDITIONS = { NEW: 35, OPEN_BOX: 6, REFURBISHED: 7, USED: 45, FOR_PARTS: 4, UNKNOWN: 3 };
const AMAZON_CONDITIONS = { NEW: 76, OPEN_BOX: 5, REFURBISHED: 7, USED: 12 };

const DEMO_MIX: Readonly<Record<string, Omit<MarketplaceSpec, keyof Marketplace>>> = {
  'ebay-us': { weight: 30, conditionWeights: EBAY_CONDITIONS, conditionWording: EBAY_EN_WORDING },
  'ebay-de': {
    weight: 14,
    conditionWeights: EBAY_CONDITIONS,
    conditionWording: {
      NEW: ['Neu', 'Neu mit Etikett'],
      OPEN_BOX: ['Neu: Sonstige (siehe Artikelbeschreibung)', 'Offene Verpackung'],
      REFURBISHED: ['Generalüberholt', 'Vom Verkäufer generalüberholt'],
      USED: ['Gebraucht'],
      FOR_PARTS: ['Als Ersatzteil / defekt'],
      UNKNOWN: [null],
    },
  },
  'ebay-uk': { weight: 12, conditionWeights: EBAY_CONDITIONS, conditionWording: EBAY_EN_WORDING },
  'amazon-us': {
    weight: 22,
    conditionWeights: AMAZON_CONDITIONS,
    conditionWording: {
      NEW: ['New'],
      OPEN_BOX: ['Used - Like New'],
      REFURBISHED: ['Renewed', 'Renewed Premium'],
      USED: ['Used - Very Good', 'Used - Good', 'Used - Acceptable'],
    },
  },
  'amazon-jp': {
    weight: 10,
    conditionWeights: AMAZON_CONDITIONS,
    conditionWording: {
      NEW: ['新品'],
      OPEN_BOX: ['中古品 - ほぼ新品'],
      REFURBISHED: ['整備済み品'],
      USED: ['中古品 - 非常に良い', '中古品 - 良い', '中古品 - 可'],
    },
  },
  etsy: {
    weight: 12,
    conditionWeights: { NEW: 60, USED: 35, UNKNOWN: 5 },
    conditionWording: { NEW: ['Handmade', 'New'], USED: ['Vintage'], UNKNOWN: [null] },
  },
};

const isDemoCurrency = (code: string): code is CurrencyCode => code in TYPICAL_PER_USD;

/** Every reference marketplace with its demo mix; the seed creates exactly these. */
export const DEMO_MARKETPLACES: readonly MarketplaceSpec[] = MARKETPLACES.map((marketplace) => {
  const mix = DEMO_MIX[marketplace.code];
  const { currency } = marketplace;
  if (!mix || !isDemoCurrency(currency)) throw new Error(`no demo mix for marketplace ${marketplace.code}`);
  return { ...marketplace, currency, ...mix };
});

/** Price multiplier of each condition relative to new. */
export const CONDITION_PRICE_FACTOR: Readonly<Record<Condition, number>> = {
  NEW: 1,
  OPEN_BOX: 0.88,
  REFURBISHED: 0.78,
  USED: 0.68,
  FOR_PARTS: 0.3,
  UNKNOWN: 0.7,
};

/** Listing-title endings sellers add per condition (eBay/Etsy; Amazon titles have none). */
export const CONDITION_TITLE_SUFFIX: Readonly<Record<Condition, readonly string[]>> = {
  NEW: ['', '', ' - Brand New', ' NEW', ' New Sealed'],
  OPEN_BOX: [' - Open Box', ' Open Box'],
  REFURBISHED: [' - Refurbished', ' - Excellent Refurbished'],
  USED: ['', ' - Good', ' - Very Good', ' - Excellent'],
  FOR_PARTS: [' - For Parts', ' AS IS Not Working'],
  UNKNOWN: [''],
};

export type Token = { text: string; factor: number };
export type BrandSpec = { name: string | null; weight: number; models: readonly Token[] };
export type LeafSpec = {
  name: string;
  priceUsd: number;
  /** Relative share of listings within the marketplace. */
  weight: number;
  /** False for things sold without barcodes (single cards, graded coins, art). */
  hasGtin: boolean;
  brands: readonly BrandSpec[];
  attributes: readonly (readonly Token[])[];
};
export type MidSpec = { name: string; leaves: readonly LeafSpec[] };
export type RootSpec = {
  name: string;
  /** Yearly change of log price (electronics lose value, collectibles gain). */
  drift: number;
  /** Whether Etsy carries this root (Etsy sells no consoles). */
  onEtsy: boolean;
  /** Devices: may be open box, refurbished or for parts; other goods are only new/used. */
  technical: boolean;
  mids: readonly MidSpec[];
};

/** "text|1.3" => { text, factor: 1.3 }; no bar => factor 1. */
function token(spec: string): Token {
  const bar = spec.lastIndexOf('|');
  if (bar < 0) return { text: spec, factor: 1 };
  const factor = Number(spec.slice(bar + 1));
  if (!Number.isFinite(factor) || factor <= 0) throw new Error(`catalog: bad price factor in "${spec}"`);
  return { text: spec.slice(0, bar), factor };
}

type BrandInput = readonly [name: string | null, models: readonly string[], weight?: number];

function leaf(
  name: string,
  priceUsd: number,
  weight: number,
  brands: readonly BrandInput[],
  attributes: readonly (readonly string[])[] = [],
  hasGtin = true,
): LeafSpec {
  return {
    name,
    priceUsd,
    weight,
    hasGtin,
    brands: brands.map(([brand, models, brandWeight]) => ({
      name: brand,
      weight: brandWeight ?? 1,
      models: models.map(token),
    })),
    attributes: attributes.map((options) => options.map(token)),
  };
}

const COLORS_PHONE = ['Midnight', 'Starlight', 'Graphite', 'Sierra Blue', 'Phantom Black', 'Blue', '(PRODUCT)RED'];
const SNEAKER_SIZES_MEN = ['US 8', 'US 8.5', 'US 9', 'US 9.5', 'US 10', 'US 10.5', 'US 11', 'US 12', 'US 13'];
const SNEAKER_SIZES_WOMEN = ["Women's US 6", "Women's US 7", "Women's US 7.5", "Women's US 8", "Women's US 9"];
const CLOTHING_SIZES = ['Size S', 'Size M', 'Size L', 'Size XL', 'Size XXL'];
const GRADES_TCG = ['PSA 10|3', 'PSA 9|1.2', 'BGS 9.5|2', 'CGC 9|1', 'Raw NM|0.5', 'Raw LP|0.35'];

export const TAXONOMY: readonly RootSpec[] = [
  {
    name: 'Electronics',
    drift: -0.12,
    onEtsy: false,
    technical: true,
    mids: [
      {
        name: 'Cell Phones & Accessories',
        leaves: [
          leaf(
            'Smartphones',
            450,
            10,
            [
              [
                'Apple',
                [
                  'iPhone 11|0.6',
                  'iPhone 12|0.75',
                  'iPhone 13|0.9',
                  'iPhone 14 Pro|1.3',
                  'iPhone 15 Pro Max|1.8',
                  'iPhone SE (3rd Gen)|0.5',
                ],
                3,
              ],
              [
                'Samsung',
                ['Galaxy S21|0.7', 'Galaxy S22 Ultra|1.1', 'Galaxy S23|1', 'Galaxy Z Flip5|1.3', 'Galaxy A54|0.5'],
                2,
              ],
              ['Google', ['Pixel 6a|0.5', 'Pixel 7 Pro|0.9', 'Pixel 8|1']],
              ['Motorola', ['Moto G Power (2023)|0.3', 'Edge+|0.8'], 0.5],
            ],
            [
              ['64GB|0.85', '128GB', '256GB|1.15', '512GB|1.35'],
              COLORS_PHONE,
              ['Unlocked', 'Unlocked', 'Verizon', 'AT&T', 'T-Mobile'],
            ],
          ),
          leaf(
            'Cases & Covers',
            18,
            5,
            [
              ['OtterBox', ['Defender Series Case', 'Commuter Series Case', 'Symmetry Series Case']],
              ['Spigen', ['Tough Armor Case|0.8', 'Ultra Hybrid Case|0.7', 'Liquid Air Case|0.6']],
              ['Apple', ['MagSafe Silicone Case|1.5', 'Clear Case with MagSafe|1.5']],
            ],
            [
              ['for iPhone 13', 'for iPhone 14 Pro', 'for iPhone 15', 'for Galaxy S23'],
              ['Black', 'Clear', 'Blue', 'Pink'],
            ],
          ),
          leaf(
            'Chargers & Cables',
            22,
            4,
            [
              [
                'Anker',
                ['Nano 20W USB-C Charger|0.7', '735 Charger 65W GaNPrime|1.8', 'PowerCore 10000 Power Bank|1.1'],
              ],
              ['Apple', ['20W USB-C Power Adapter|0.9', 'MagSafe Charger|1.8', 'USB-C to Lightning Cable 1m|0.8']],
              ['Belkin', ['BoostCharge Pro 3-in-1 Wireless Charger|4.5', 'USB-C Cable 2m|0.9']],
            ],
            [['', '', '2-Pack|1.7']],
          ),
        ],
      },
      {
        name: 'Computers & Tablets',
        leaves: [
          leaf(
            'Laptops',
            850,
            6,
            [
              ['Apple', ['MacBook Air 13" M1|0.8', 'MacBook Air 13" M2|1', 'MacBook Pro 14" M3 Pro|1.9'], 2],
              ['Dell', ['XPS 13 9315|1', 'Inspiron 15 3520|0.55']],
              ['Lenovo', ['ThinkPad X1 Carbon Gen 10|1.3', 'IdeaPad 5 Pro|0.7']],
              ['HP', ['Spectre x360 14|1.1', 'Pavilion 15|0.55']],
            ],
            [
              ['8GB RAM|0.9', '16GB RAM|1.1', '32GB RAM|1.3'],
              ['256GB SSD|0.9', '512GB SSD', '1TB SSD|1.2'],
            ],
          ),
          leaf(
            'Tablets',
            380,
            5,
            [
              ['Apple', ['iPad 9th Gen|0.6', 'iPad Air 5th Gen|1', 'iPad Pro 11" M2|1.5', 'iPad mini 6|0.85'], 3],
              ['Samsung', ['Galaxy Tab S8|1', 'Galaxy Tab A8|0.4']],
              ['Amazon', ['Fire HD 10|0.3']],
            ],
            [
              ['64GB|0.9', '128GB', '256GB|1.2'],
              ['Wi-Fi', 'Wi-Fi', 'Wi-Fi + Cellular|1.15'],
              ['Space Gray', 'Silver', 'Starlight', 'Blue'],
            ],
          ),
          leaf(
            'Monitors',
            260,
            2,
            [
              ['Dell', ['UltraSharp U2723QE 27" 4K|1.6', 'S2721DGF 27" QHD 165Hz|1.1']],
              ['LG', ['27GP850-B 27" QHD|1', '27UL500-W 27" 4K|0.8']],
              ['Samsung', ['Odyssey G7 32" Curved|1.5']],
              ['ASUS', ['TUF Gaming VG27AQ 27"|0.9']],
            ],
            [['Monitor', 'Gaming Monitor', 'IPS Monitor']],
          ),
        ],
      },
      {
        name: 'Video Games & Consoles',
        leaves: [
          leaf(
            'Consoles',
            380,
            6,
            [
              [
                'Sony',
                ['PlayStation 5 Disc Edition|1.1', 'PlayStation 5 Digital Edition|0.95', 'PlayStation 4 Pro 1TB|0.6'],
                2,
              ],
              ['Microsoft', ['Xbox Series X 1TB|1.1', 'Xbox Series S 512GB|0.65']],
              ['Nintendo', ['Switch OLED Model|0.9', 'Switch Lite|0.5'], 2],
              ['Valve', ['Steam Deck 512GB|1.1'], 0.5],
            ],
            [['Console', 'Console Bundle|1.2', 'Console with Controller']],
          ),
          leaf(
            'Video Games',
            35,
            7,
            [
              [
                'Nintendo',
                [
                  'The Legend of Zelda: Tears of the Kingdom (Switch)|1.4',
                  'Super Mario Bros. Wonder (Switch)|1.3',
                  'Mario Kart 8 Deluxe (Switch)|1.2',
                  'Pokémon Scarlet (Switch)|1.2',
                ],
                2,
              ],
              ['Sony', ["Marvel's Spider-Man 2 (PS5)|1.3", 'God of War Ragnarök (PS5)|1', 'Gran Turismo 7 (PS5)|0.9']],
              ['Rockstar Games', ['Red Dead Redemption 2 (PS4)|0.6', 'Grand Theft Auto V (PS5)|0.7']],
              ['Electronic Arts', ['EA Sports FC 24 (PS5)|0.8', 'Madden NFL 24 (Xbox Series X)|0.5']],
            ],
            [['Complete in Box', 'Complete in Box', 'Disc Only|0.7', 'Factory Sealed|1.2']],
          ),
          leaf(
            'Controllers',
            55,
            3,
            [
              ['Sony', ['DualSense Wireless Controller', 'DualSense Edge Controller|2.5']],
              ['Microsoft', ['Xbox Wireless Controller', 'Xbox Elite Series 2 Controller|2.6']],
              ['Nintendo', ['Joy-Con Pair|1.3', 'Switch Pro Controller|1.2']],
              ['8BitDo', ['Pro 2 Bluetooth Controller|0.8'], 0.5],
            ],
            [['White', 'Black', 'Midnight Black', 'Cosmic Red']],
          ),
        ],
      },
      {
        name: 'Cameras & Photo',
        leaves: [
          leaf(
            'Digital Cameras',
            700,
            3,
            [
              ['Canon', ['EOS R6|2.3', 'EOS Rebel T7|0.6', 'PowerShot G7 X Mark III|0.9']],
              ['Sony', ['Alpha a7 III|2', 'ZV-1|0.9', 'Alpha a6400|1.1']],
              ['Fujifilm', ['X100V|1.9', 'X-T4|1.8']],
              ['Nikon', ['Z6 II|2', 'D3500|0.6']],
            ],
            [['Body Only', 'with 18-55mm Lens|1.2', 'Kit|1.15']],
          ),
          leaf(
            'Camera Lenses',
            450,
            2,
            [
              ['Canon', ['RF 24-105mm f/4L IS USM|1.5', 'EF 50mm f/1.8 STM|0.3']],
              ['Sony', ['FE 85mm f/1.8|0.9', 'FE 24-70mm f/2.8 GM II|3']],
              ['Sigma', ['18-35mm f/1.8 DC HSM Art|1.2']],
              ['Nikon', ['NIKKOR Z 50mm f/1.8 S|0.8']],
            ],
            [['Lens', 'Lens', 'Lens with Caps']],
          ),
        ],
      },
      {
        name: 'Audio',
        leaves: [
          leaf(
            'Headphones',
            180,
            6,
            [
              ['Apple', ['AirPods Pro (2nd Gen)|1.2', 'AirPods (3rd Gen)|0.8', 'AirPods Max|2.6'], 2],
              ['Sony', ['WH-1000XM4|1.4', 'WH-1000XM5|1.9', 'WF-1000XM4|1.2']],
              ['Bose', ['QuietComfort 45|1.6', 'QuietComfort Earbuds II|1.5']],
              ['Beats', ['Studio3 Wireless|1.1', 'Powerbeats Pro|1']],
            ],
            [['Black', 'White', 'Silver', 'Midnight Blue']],
          ),
          leaf(
            'Portable Speakers',
            120,
            3,
            [
              ['JBL', ['Flip 6|0.9', 'Charge 5|1.2', 'Go 3|0.3']],
              ['Bose', ['SoundLink Flex|1.1']],
              ['Sonos', ['Roam|1.4']],
              ['Ultimate Ears', ['BOOM 3|1']],
            ],
            [['Black', 'Blue', 'Red', 'Squad Camo']],
          ),
        ],
      },
    ],
  },
  {
    name: 'Collectibles',
    drift: 0.06,
    onEtsy: true,
    technical: false,
    mids: [
      {
        name: 'Trading Cards',
        leaves: [
          leaf(
            'Pokémon Cards',
            60,
            7,
            [
              [
                'Pokémon',
                [
                  'Charizard ex 223/197 Obsidian Flames|2',
                  'Pikachu VMAX 188/185 Vivid Voltage|1.5',
                  'Umbreon VMAX 215/203 Evolving Skies|5',
                  'Mewtwo GX 78/73 Shining Legends|0.8',
                  'Lugia V 186/195 Silver Tempest|1.6',
                  'Charizard 4/102 Base Set Holo|6',
                ],
              ],
            ],
            [GRADES_TCG],
            false,
          ),
          leaf(
            'Sealed Booster Boxes',
            150,
            4,
            [
              [
                'Pokémon',
                [
                  'Scarlet & Violet 151 Booster Bundle|0.4',
                  'Evolving Skies Booster Box|4',
                  'Paldea Evolved Booster Box|1',
                  'Crown Zenith Elite Trainer Box|0.4',
                ],
                2,
              ],
              [
                'Wizards of the Coast',
                ['MTG Murders at Karlov Manor Play Booster Box|1', 'MTG Modern Horizons 3 Collector Booster Box|2'],
              ],
              ['Bandai', ['One Piece Romance Dawn OP-01 Booster Box|1.5']],
            ],
            [['Factory Sealed', 'Sealed English', 'Sealed Japanese|0.7']],
          ),
          leaf(
            'Magic: The Gathering Cards',
            40,
            4,
            [
              [
                'Wizards of the Coast',
                [
                  'Sheoldred, the Apocalypse DMU|1.5',
                  'The One Ring LTR|2',
                  'Ragavan, Nimble Pilferer MH2|1.5',
                  'Force of Will Alliances|1.2',
                  'Lightning Bolt Alpha|8',
                  'Black Lotus Unlimited|60',
                ],
              ],
            ],
            [['NM', 'LP|0.8', 'Foil|1.6', 'Borderless Foil|2.2', 'PSA 9|2.5']],
            false,
          ),
          leaf(
            'Sports Trading Cards',
            45,
            4,
            [
              ['Panini', ['Prizm Victor Wembanyama RC #136|3', 'Prizm LeBron James #1', 'Select Luka Doncic|0.8']],
              ['Topps', ['Chrome Shohei Ohtani|1.5', 'Series 1 Mike Trout|0.6', 'Chrome Julio Rodríguez RC|0.9']],
              ['Upper Deck', ['Young Guns Connor Bedard RC|2.2']],
            ],
            [['PSA 10|3', 'PSA 9|1.3', 'Raw|0.5', 'BGS 9.5|2']],
            false,
          ),
        ],
      },
      {
        name: 'Coins & Paper Money',
        leaves: [
          leaf(
            'Bullion',
            45,
            3,
            [
              ['US Mint', ['American Silver Eagle 1 oz|1', 'American Gold Eagle 1/10 oz|7']],
              ['Royal Canadian Mint', ['Silver Maple Leaf 1 oz|0.95', 'Gold Maple Leaf 1 oz|45']],
              ['The Perth Mint', ['Kangaroo 1 oz Silver|0.95']],
            ],
            [
              ['2020', '2021', '2022', '2023', '2024'],
              ['BU', 'BU', 'Proof|1.6'],
            ],
          ),
          leaf(
            'US Coins',
            80,
            2,
            [
              [
                'US Mint',
                [
                  'Morgan Silver Dollar 1881-S|0.8',
                  'Peace Dollar 1922|0.7',
                  'Walking Liberty Half Dollar 1943|0.5',
                  'Saint-Gaudens Double Eagle 1924|30',
                ],
              ],
            ],
            [['MS63', 'MS65|2.5', 'AU58|0.6', 'PCGS MS64|1.6', 'NGC MS66|4']],
            false,
          ),
        ],
      },
      {
        name: 'Toys & Hobbies',
        leaves: [
          leaf(
            'LEGO Sets',
            120,
            5,
            [
              [
                'LEGO',
                [
                  'Star Wars Millennium Falcon 75192|5',
                  'Technic Lamborghini Sián FKP 37 42115|3.2',
                  'Icons Titanic 10294|5',
                  'Creator Expert Bookshop 10270|1.5',
                  'Harry Potter Hogwarts Castle 71043|3.5',
                  'Ideas Tree House 21318|1.8',
                  'City Police Station 60316|0.6',
                ],
              ],
            ],
            [['Building Set', 'Set', 'Building Kit']],
          ),
          leaf(
            'Action Figures',
            35,
            3,
            [
              ['Hasbro', ['Star Wars The Black Series Boba Fett', 'Marvel Legends Spider-Man|0.8']],
              ['Mattel', ['Masters of the Universe Origins He-Man|0.6', 'Hot Wheels Premium 5-Pack|0.4']],
              ['NECA', ['Aliens Ultimate Ellen Ripley']],
              ['McFarlane Toys', ['DC Multiverse Batman|0.7']],
              ['Bandai', ['S.H. Figuarts Son Goku|1.5']],
            ],
            [['6" Figure', '7" Figure', '12" Figure|1.5']],
          ),
        ],
      },
    ],
  },
  {
    name: 'Clothing, Shoes & Accessories',
    drift: 0,
    onEtsy: true,
    technical: false,
    mids: [
      {
        name: 'Sneakers',
        leaves: [
          leaf(
            "Men's Sneakers",
            150,
            7,
            [
              [
                'Nike',
                [
                  'Air Jordan 1 Retro High OG Chicago|2',
                  "Air Force 1 '07 White|0.7",
                  'Dunk Low Panda|0.9',
                  'Air Max 90|0.85',
                ],
                3,
              ],
              ['Adidas', ['Yeezy Boost 350 V2 Zebra|1.7', 'Samba OG|0.7', 'Ultraboost 22|0.9'], 2],
              ['New Balance', ['550 White Green|0.8', '990v6 Grey|1.3']],
              ['ASICS', ['Gel-Kayano 14|0.9']],
            ],
            [SNEAKER_SIZES_MEN],
          ),
          leaf(
            "Women's Sneakers",
            120,
            4,
            [
              ['Nike', ['Air Force 1 Shadow|0.9', 'Dunk Low Rose Whisper|1']],
              ['Adidas', ['Gazelle Bold|0.8', 'Stan Smith|0.7']],
              ['New Balance', ['530|0.7']],
              ['Converse', ['Chuck Taylor All Star|0.45']],
              ['Veja', ['V-10|1.1']],
            ],
            [SNEAKER_SIZES_WOMEN],
          ),
        ],
      },
      {
        name: 'Bags & Handbags',
        leaves: [
          leaf(
            'Handbags',
            400,
            4,
            [
              ['Louis Vuitton', ['Neverfull MM Monogram|4', 'Speedy 30|3', 'Pochette Métis|5']],
              ['Gucci', ['GG Marmont Small Shoulder Bag|5'], 0.6],
              ['Coach', ['Tabby Shoulder Bag 26|1', 'Willow Tote|0.9'], 1.5],
              ['Michael Kors', ['Jet Set Travel Tote|0.4'], 1.5],
              [null, ['Handmade Leather Crossbody Bag|0.3', 'Woven Straw Tote|0.15'], 1.5],
            ],
            [['Black', 'Brown', 'Tan', 'Beige', 'Red']],
          ),
          leaf(
            'Backpacks',
            90,
            2,
            [
              ['The North Face', ['Borealis Backpack|0.9', 'Recon Backpack|0.9']],
              ['Herschel', ['Little America Backpack|1']],
              ['Fjällräven', ['Kånken Classic|0.8']],
              ['Osprey', ['Farpoint 40 Travel Pack|1.6']],
            ],
            [['Black', 'Navy', 'Forest Green', 'Grey']],
          ),
        ],
      },
      {
        name: 'Clothing',
        leaves: [
          leaf(
            'Jackets & Coats',
            160,
            4,
            [
              ['The North Face', ['1996 Retro Nuptse Jacket|1.8', 'Denali Fleece Jacket|0.8']],
              ['Patagonia', ['Better Sweater Fleece|0.8', 'Nano Puff Jacket|1.1']],
              ["Arc'teryx", ['Beta AR Jacket|3', 'Atom LT Hoody|1.6'], 0.6],
              ['Carhartt', ['Detroit Jacket|0.9']],
              ["Levi's", ['Trucker Jacket|0.5']],
            ],
            [['Black', 'Navy', 'Olive', 'Brown'], CLOTHING_SIZES],
          ),
          leaf(
            'T-Shirts',
            25,
            5,
            [
              ['Nike', ['Sportswear Tee|0.8']],
              ['Supreme', ['Box Logo Tee|6'], 0.4],
              [
                null,
                [
                  'Vintage Nirvana Smiley Band Tee|2',
                  'Vintage 1994 Metallica Tour Tee|3',
                  'Custom Embroidered Tee|1.1',
                ],
                2,
              ],
            ],
            [['Black', 'White', 'Heather Grey'], CLOTHING_SIZES],
          ),
        ],
      },
    ],
  },
  {
    name: 'Home & Garden',
    drift: 0.02,
    onEtsy: true,
    technical: true,
    mids: [
      {
        name: 'Kitchen, Dining & Bar',
        leaves: [
          leaf(
            'Coffee Makers',
            140,
            4,
            [
              ['Breville', ['Barista Express BES870XL|4.5', 'Bambino Plus BES500|3']],
              ['Nespresso', ['Vertuo Next|1', 'Essenza Mini|0.9']],
              ['Keurig', ['K-Elite|1', 'K-Mini|0.6']],
              ["De'Longhi", ['Dedica EC685|2']],
              ['Technivorm', ['Moccamaster KBGV Select|2.4'], 0.5],
            ],
            [['Black', 'Stainless Steel', 'Brushed Stainless', 'Matte Black', 'Red']],
          ),
          leaf(
            'Cookware',
            90,
            3,
            [
              ['Le Creuset', ['Signature Round Dutch Oven 5.5 qt|4', 'Signature Skillet 10.25"|1.8']],
              ['Lodge', ['Cast Iron Skillet 12"|0.4', 'Enameled Dutch Oven 6 qt|0.8'], 2],
              ['All-Clad', ['D3 Stainless 10-Piece Cookware Set|6', 'HA1 Nonstick Fry Pan Set|1.2']],
              ['Staub', ['Cast Iron Cocotte 4 qt|3']],
            ],
            [['Black', 'Flame', 'Marseille', 'Cerise', 'Oyster']],
          ),
          leaf(
            'Small Kitchen Appliances',
            180,
            4,
            [
              ['KitchenAid', ['Artisan Stand Mixer 5 qt|2.4', 'Classic Stand Mixer 4.5 qt|1.6'], 2],
              ['Vitamix', ['5200 Blender|2.2', 'E310 Explorian Blender|1.7']],
              ['Ninja', ['Foodi 9-in-1 Pressure Cooker|0.9', 'Professional Blender BL610|0.5']],
              ['Instant Pot', ['Duo 7-in-1 6 qt|0.5']],
              ['Cuisinart', ['14-Cup Food Processor|1']],
            ],
            [['Empire Red', 'Onyx Black', 'White', 'Silver', 'Aqua Sky']],
          ),
        ],
      },
      {
        name: 'Home Décor',
        leaves: [
          leaf(
            'Candles',
            24,
            4,
            [
              [null, ['Handmade Soy Candle', 'Hand Poured Coconut Wax Candle', 'Beeswax Pillar Candle|1.2'], 3],
              ['Yankee Candle', ['Large Jar Candle|1.1', 'Balsam & Cedar Large Jar|1.1']],
              ['Bath & Body Works', ['3-Wick Candle|1']],
            ],
            [
              ['Lavender', 'Vanilla', 'Sandalwood', 'Balsam & Cedar', 'Pumpkin Spice', 'Sea Salt'],
              ['8 oz|0.8', '12 oz', '16 oz|1.3'],
            ],
          ),
          leaf(
            'Wall Art',
            70,
            3,
            [
              [
                null,
                [
                  'Original Watercolor Landscape Painting|1.5',
                  'Abstract Canvas Print',
                  'Botanical Print Set of 3|0.6',
                  'Framed Vintage Map Print|1.2',
                ],
              ],
            ],
            [['8x10|0.6', '11x14|0.8', '16x20', '24x36|1.6']],
            false,
          ),
        ],
      },
      {
        name: 'Tools & Workshop Equipment',
        leaves: [
          leaf(
            'Power Tools',
            160,
            4,
            [
              [
                'DeWalt',
                [
                  '20V MAX Cordless Drill Driver DCD771|0.8',
                  '20V MAX XR Impact Driver DCF887|0.8',
                  '20V MAX 7-1/4" Circular Saw DCS570|1',
                ],
                2,
              ],
              ['Milwaukee', ['M18 FUEL Hammer Drill 2904-20|1.3', 'M12 FUEL Impact Driver 3453-20|0.8'], 2],
              ['Makita', ['18V LXT Combo Kit XT269M|1.7']],
              ['Bosch', ['12V Max Drill Driver PS31|0.6']],
              ['Ryobi', ['ONE+ 18V Drill Driver P215|0.4']],
            ],
            [['Tool Only|0.8', 'with Battery|1.1', 'Kit with 2 Batteries|1.4']],
          ),
        ],
      },
    ],
  },
  {
    name: 'Jewelry & Watches',
    drift: 0.03,
    onEtsy: true,
    technical: false,
    mids: [
      {
        name: 'Watches',
        leaves: [
          leaf(
            'Wristwatches',
            600,
            5,
            [
              ['Rolex', ['Submariner Date 126610LN|20', 'Datejust 36 126234|14', 'Oyster Perpetual 41 124300|11'], 0.6],
              ['Omega', ['Speedmaster Professional Moonwatch|9', 'Seamaster Diver 300M|7.5'], 0.6],
              ['Seiko', ['Presage Cocktail Time SRPB43|0.6', 'Prospex SPB143|1.5', '5 Sports SRPD55|0.45'], 2],
              ['Casio', ['G-Shock GA-2100|0.18', 'F-91W|0.03'], 2],
              ['Tudor', ['Black Bay 58|5.5'], 0.4],
            ],
            [['Box & Papers|1.1', 'Watch Only|0.92', 'Full Set|1.12']],
          ),
          leaf(
            'Smartwatches',
            250,
            4,
            [
              ['Apple', ['Watch Series 8 45mm|1.2', 'Watch Ultra 2|2.9', 'Watch SE 40mm|0.8'], 2],
              ['Samsung', ['Galaxy Watch6 Classic|1.2', 'Galaxy Watch5|0.8']],
              ['Garmin', ['Fenix 7|2.4', 'Forerunner 255|1.2', 'Venu 2|1.3']],
              ['Fitbit', ['Versa 4|0.7', 'Charge 6|0.5']],
            ],
            [
              ['GPS', 'GPS', 'GPS + Cellular|1.2'],
              ['Midnight', 'Silver', 'Black', 'Graphite'],
            ],
          ),
        ],
      },
      {
        name: 'Fine Jewelry',
        leaves: [
          leaf(
            'Rings',
            300,
            3,
            [
              [
                null,
                [
                  '14K Gold Diamond Engagement Ring 1 ct|4',
                  'Sterling Silver Band Ring|0.15',
                  '14K Yellow Gold Signet Ring|1.2',
                  'Moissanite Solitaire Ring 2 ct|1.1',
                ],
                3,
              ],
              ['Tiffany & Co.', ['Elsa Peretti Open Heart Ring|0.9', 'T Wire Ring 18K Gold|3']],
              ['Pandora', ['Sparkling Crown Ring|0.2']],
            ],
            [['Size 5', 'Size 6', 'Size 7', 'Size 8', 'Size 9']],
            false,
          ),
          leaf(
            'Necklaces & Pendants',
            160,
            3,
            [
              [
                null,
                [
                  'Handmade Sterling Silver Pendant Necklace|0.4',
                  '14K Gold Cuban Link Chain 20"|6',
                  'Freshwater Pearl Necklace|0.8',
                ],
                3,
              ],
              ['Tiffany & Co.', ['Return to Tiffany Heart Tag Necklace|2', 'Elsa Peretti Diamonds by the Yard|3']],
              ['David Yurman', ['Cable Classics Chain Necklace|2.5']],
              ['Pandora', ['Moments Snake Chain Necklace|0.5']],
            ],
            [['16"', '18"', '20"|1.1']],
          ),
        ],
      },
    ],
  },
];
