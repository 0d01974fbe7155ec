/**
 * The vocabulary of the synthetic shop: top-level departments, their leaf categories and the
 * words used to name products. Order matters: within a department the first leaves are the
 * "core" ones, taken first when fewer categories are asked for, so the default shop (24 leaves,
 * 4 per department) always holds the categories the customer personas refer to.
 */

/** How a leaf's variants differ. */
export type OptionKind =
  | "apparel-size"
  | "shoe-size"
  | "colour"
  | "weight"
  | "volume"
  | "home-size"
  | "single"

/** Which part of the year a leaf sells best in (drives seasonal drift). */
export type Season = "summer" | "winter" | "none"

export interface LeafSpec {
  name: string
  /** Product nouns, e.g. "Table Lamp". */
  nouns: string[]
  /** Price range in whole currency units. */
  price: [number, number]
  option: OptionKind
  season: Season
  /** Preferred product type (see TYPE_POOL). */
  type: string
  /** Consumables are bought in larger quantities and re-bought. */
  consumable?: boolean
  /** One sentence used in descriptions. */
  blurb: string
  /** Leaves a product of this leaf is sometimes also listed under (e.g. trail shoes under Hiking Boots). */
  alsoIn?: string[]
}

export interface DepartmentSpec {
  name: string
  adjectives: string[]
  leaves: LeafSpec[]
}

export const DEPARTMENTS: DepartmentSpec[] = [
  {
    name: "Home",
    adjectives: ["Nordic", "Linen", "Oak", "Velvet", "Rattan", "Ceramic", "Brass", "Cosy", "Minimal", "Woven"],
    leaves: [
      { name: "Lamps", nouns: ["Table Lamp", "Floor Lamp", "Desk Lamp", "Pendant Light", "Wall Sconce"], price: [29, 249], option: "colour", season: "winter", type: "Home & Living", blurb: "Warm, glare-free light for reading corners and living rooms.", alsoIn: ["Wall Art"] },
      { name: "Sofas", nouns: ["Three-Seater Sofa", "Loveseat", "Corner Sofa", "Sofa Bed", "Armchair"], price: [249, 499], option: "colour", season: "none", type: "Home & Living", blurb: "Deep seats and removable covers made for everyday lounging." },
      { name: "Rugs", nouns: ["Area Rug", "Runner Rug", "Round Rug", "Shag Rug"], price: [39, 399], option: "home-size", season: "winter", type: "Home & Living", blurb: "Soft underfoot and easy to vacuum." },
      { name: "Cushions & Throws", nouns: ["Cushion Cover", "Throw Blanket", "Floor Cushion", "Knit Throw"], price: [15, 89], option: "colour", season: "winter", type: "Home & Living", blurb: "An easy way to add texture and colour to a room.", alsoIn: ["Bedding", "Sofas"] },
      { name: "Wall Art", nouns: ["Art Print", "Framed Poster", "Canvas", "Wall Mirror"], price: [19, 189], option: "home-size", season: "none", type: "Home & Living", blurb: "Printed on heavy matte paper with fade-resistant inks." },
      { name: "Bedding", nouns: ["Duvet Cover Set", "Fitted Sheet", "Pillowcase Pair", "Duvet"], price: [25, 179], option: "home-size", season: "winter", type: "Home & Living", blurb: "Breathable cotton that gets softer with every wash." },
      { name: "Plants & Planters", nouns: ["Planter", "Plant Stand", "Hanging Pot", "Watering Can"], price: [9, 119], option: "home-size", season: "summer", type: "Home & Living", blurb: "Drainage built in, for happy plants indoors and out." },
      { name: "Candles", nouns: ["Scented Candle", "Pillar Candle", "Candle Holder", "Reed Diffuser"], price: [9, 59], option: "single", season: "winter", type: "Home & Living", consumable: true, blurb: "Hand-poured soy wax with a clean, long burn.", alsoIn: ["Bath & Body"] },
    ],
  },
  {
    name: "Kitchen",
    adjectives: ["Artisan", "Everyday", "Barista", "Cast-Iron", "Stoneware", "Copper", "Classic", "Professional"],
    leaves: [
      { name: "Coffee", nouns: ["Espresso Beans", "Filter Roast", "Single Origin Beans", "Decaf Blend", "Cold Brew Pack"], price: [8, 39], option: "weight", season: "none", type: "Food & Drink", consumable: true, blurb: "Roasted in small batches and shipped within days of roasting.", alsoIn: ["Tea"] },
      { name: "Tea", nouns: ["Green Tea", "Earl Grey", "Chai Blend", "Herbal Infusion", "Matcha"], price: [6, 35], option: "weight", season: "winter", type: "Food & Drink", consumable: true, blurb: "Loose leaves with a fresh, clear cup.", alsoIn: ["Coffee"] },
      { name: "Cookware", nouns: ["Frying Pan", "Dutch Oven", "Saucepan Set", "Wok", "Stockpot"], price: [29, 249], option: "home-size", season: "none", type: "Home & Living", blurb: "Even heating on every hob, induction included.", alsoIn: ["Camp Kitchen", "Baking"] },
      { name: "Baking", nouns: ["Loaf Tin", "Mixing Bowl Set", "Baking Sheet", "Proofing Basket", "Stand Mixer"], price: [9, 349], option: "single", season: "winter", type: "Home & Living", blurb: "For weekend loaves and midweek cakes alike.", alsoIn: ["Cookware"] },
      { name: "Knives", nouns: ["Chef's Knife", "Santoku Knife", "Knife Block", "Paring Knife"], price: [25, 229], option: "single", season: "none", type: "Home & Living", blurb: "Forged steel that holds a keen edge." },
      { name: "Tableware", nouns: ["Dinner Plate Set", "Pasta Bowl", "Mug Pair", "Serving Platter"], price: [15, 129], option: "colour", season: "none", type: "Home & Living", blurb: "Dishwasher-safe and stackable.", alsoIn: ["Wine Accessories"] },
      { name: "Wine Accessories", nouns: ["Decanter", "Wine Glass Pair", "Corkscrew", "Wine Cooler"], price: [12, 149], option: "single", season: "summer", type: "Home & Living", blurb: "Small things that make an evening." },
    ],
  },
  {
    name: "Fashion",
    adjectives: ["Relaxed", "Tailored", "Vintage", "Organic", "Classic", "Oversized", "Slim", "Merino"],
    leaves: [
      { name: "Dresses", nouns: ["Midi Dress", "Wrap Dress", "Shirt Dress", "Maxi Dress", "Slip Dress"], price: [39, 189], option: "apparel-size", season: "summer", type: "Apparel & Footwear", blurb: "An easy fit that moves with you." },
      { name: "Knitwear", nouns: ["Crew Neck Jumper", "Cardigan", "Roll Neck", "Knitted Vest"], price: [35, 199], option: "apparel-size", season: "winter", type: "Apparel & Footwear", blurb: "Warm without the bulk.", alsoIn: ["Jackets"] },
      { name: "Sneakers", nouns: ["Low-Top Sneaker", "High-Top Sneaker", "Canvas Sneaker", "Court Sneaker"], price: [49, 179], option: "shoe-size", season: "none", type: "Apparel & Footwear", blurb: "Cushioned soles for all-day wear.", alsoIn: ["Running Shoes"] },
      { name: "Handbags", nouns: ["Tote Bag", "Crossbody Bag", "Shoulder Bag", "Clutch"], price: [29, 299], option: "colour", season: "none", type: "Accessories", blurb: "Roomy inside, with a zipped pocket for the essentials." },
      { name: "Jeans", nouns: ["Straight Jeans", "Slim Jeans", "Wide-Leg Jeans", "Denim Jacket"], price: [39, 149], option: "apparel-size", season: "none", type: "Apparel & Footwear", blurb: "Rigid denim that breaks in beautifully." },
      { name: "Jackets", nouns: ["Puffer Jacket", "Trench Coat", "Wool Coat", "Rain Jacket"], price: [69, 399], option: "apparel-size", season: "winter", type: "Apparel & Footwear", blurb: "Weather-ready and built to last.", alsoIn: ["Hiking Boots"] },
      { name: "Watches", nouns: ["Field Watch", "Chronograph", "Dress Watch", "Smartwatch Strap"], price: [29, 449], option: "colour", season: "none", type: "Accessories", blurb: "Sapphire-coated glass and a strap that lasts." },
      { name: "Sunglasses", nouns: ["Aviator Sunglasses", "Round Sunglasses", "Sport Sunglasses"], price: [25, 199], option: "colour", season: "summer", type: "Accessories", blurb: "Full UV400 protection." },
    ],
  },
  {
    name: "Outdoor",
    adjectives: ["Alpine", "Trail", "Summit", "Lightweight", "Ridge", "Expedition", "Coastal", "Forest"],
    leaves: [
      { name: "Tents", nouns: ["Two-Person Tent", "Family Tent", "Ultralight Tent", "Tarp Shelter"], price: [79, 499], option: "single", season: "summer", type: "Gear & Equipment", blurb: "Pitches in minutes and stays dry in a downpour." },
      { name: "Hiking Boots", nouns: ["Hiking Boot", "Trail Shoe", "Approach Shoe", "Waterproof Boot"], price: [79, 249], option: "shoe-size", season: "summer", type: "Apparel & Footwear", blurb: "Grippy soles and a waterproof membrane.", alsoIn: ["Running Shoes"] },
      { name: "Backpacks", nouns: ["Daypack", "Trekking Pack", "Travel Backpack", "Hydration Pack"], price: [39, 279], option: "colour", season: "summer", type: "Gear & Equipment", blurb: "A ventilated back panel for long days out.", alsoIn: ["Cycling", "Tents"] },
      { name: "Garden Furniture", nouns: ["Bistro Set", "Sun Lounger", "Garden Bench", "Hammock"], price: [59, 499], option: "colour", season: "summer", type: "Home & Living", blurb: "Weatherproof and easy to store over winter.", alsoIn: ["Plants & Planters"] },
      { name: "Sleeping Bags", nouns: ["Down Sleeping Bag", "Synthetic Sleeping Bag", "Sleeping Mat", "Camping Pillow"], price: [19, 349], option: "single", season: "summer", type: "Gear & Equipment", blurb: "Rated for cold nights, packs down small.", alsoIn: ["Tents"] },
      { name: "BBQ & Grills", nouns: ["Charcoal Grill", "Gas Grill", "Grill Tool Set", "Pizza Oven"], price: [25, 499], option: "single", season: "summer", type: "Gear & Equipment", blurb: "From quick sausages to slow-smoked brisket.", alsoIn: ["Garden Furniture"] },
      { name: "Camp Kitchen", nouns: ["Camping Stove", "Camp Cook Set", "Insulated Bottle", "Cool Box"], price: [15, 199], option: "single", season: "summer", type: "Gear & Equipment", blurb: "Hot meals anywhere you pitch up.", alsoIn: ["Cookware", "Tents"] },
    ],
  },
  {
    name: "Sports",
    adjectives: ["Pro", "Tempo", "Endurance", "Flex", "Aero", "Studio", "Sprint", "Core"],
    leaves: [
      { name: "Running Shoes", nouns: ["Road Running Shoe", "Trail Running Shoe", "Racing Flat", "Stability Shoe"], price: [69, 219], option: "shoe-size", season: "none", type: "Apparel & Footwear", blurb: "Responsive foam for easy miles and race days.", alsoIn: ["Hiking Boots", "Sneakers"] },
      { name: "Yoga", nouns: ["Yoga Mat", "Yoga Block Pair", "Yoga Strap", "Meditation Cushion"], price: [9, 119], option: "colour", season: "winter", type: "Gear & Equipment", blurb: "Non-slip grip, even when the practice heats up.", alsoIn: ["Fitness Equipment"] },
      { name: "Cycling", nouns: ["Cycling Helmet", "Bike Light Set", "Cycling Jersey", "Bike Lock"], price: [19, 249], option: "colour", season: "summer", type: "Gear & Equipment", blurb: "Ride further and be seen." },
      { name: "Sports Nutrition", nouns: ["Whey Protein", "Energy Gel Pack", "Electrolyte Tabs", "Protein Bars"], price: [9, 59], option: "weight", season: "none", type: "Food & Drink", consumable: true, blurb: "Clean ingredients, tested for banned substances.", alsoIn: ["Running Shoes"] },
      { name: "Fitness Equipment", nouns: ["Kettlebell", "Dumbbell Pair", "Resistance Band Set", "Pull-Up Bar"], price: [15, 299], option: "single", season: "winter", type: "Gear & Equipment", blurb: "A home gym that fits in a corner.", alsoIn: ["Yoga"] },
      { name: "Swimwear", nouns: ["Swimsuit", "Swim Shorts", "Bikini", "Swim Goggles"], price: [15, 89], option: "apparel-size", season: "summer", type: "Apparel & Footwear", blurb: "Chlorine-resistant and quick to dry.", alsoIn: ["Sunglasses"] },
      { name: "Tennis", nouns: ["Tennis Racket", "Tennis Balls", "Racket Bag", "Overgrip Pack"], price: [5, 249], option: "single", season: "summer", type: "Gear & Equipment", blurb: "Control and power in one swing." },
    ],
  },
  {
    name: "Beauty",
    adjectives: ["Pure", "Botanical", "Radiant", "Gentle", "Hydrating", "Vegan", "Daily", "Luxe"],
    leaves: [
      { name: "Skincare", nouns: ["Face Serum", "Day Cream", "Cleansing Gel", "Eye Cream", "Face Mask"], price: [9, 89], option: "volume", season: "none", type: "Cosmetics", consumable: true, blurb: "Dermatologically tested and fragrance-free.", alsoIn: ["Bath & Body"] },
      { name: "Fragrances", nouns: ["Eau de Parfum", "Eau de Toilette", "Body Mist", "Solid Perfume"], price: [19, 159], option: "volume", season: "none", type: "Cosmetics", blurb: "Layered notes that last from morning to evening.", alsoIn: ["Makeup"] },
      { name: "Haircare", nouns: ["Shampoo", "Conditioner", "Hair Oil", "Styling Cream"], price: [6, 45], option: "volume", season: "none", type: "Cosmetics", consumable: true, blurb: "Sulphate-free formulas for every hair type.", alsoIn: ["Bath & Body"] },
      { name: "Makeup", nouns: ["Lipstick", "Mascara", "Foundation", "Eyeshadow Palette", "Blush"], price: [8, 59], option: "colour", season: "none", type: "Cosmetics", consumable: true, blurb: "Buildable colour with a comfortable wear." },
      { name: "Bath & Body", nouns: ["Body Lotion", "Bath Salts", "Shower Gel", "Hand Cream"], price: [5, 39], option: "volume", season: "winter", type: "Cosmetics", consumable: true, blurb: "A small daily ritual.", alsoIn: ["Skincare"] },
      { name: "Shaving", nouns: ["Safety Razor", "Shaving Cream", "Beard Oil", "Razor Blades"], price: [6, 79], option: "single", season: "none", type: "Cosmetics", consumable: true, blurb: "A close, comfortable shave." },
    ],
  },
]

/** Product types, broad ones first (the first `types` are used). */
export const TYPE_POOL = [
  "Home & Living",
  "Apparel & Footwear",
  "Gear & Equipment",
  "Food & Drink",
  "Cosmetics",
  "Accessories",
]

/** Collections; seasonal ones first because seasonal leaves lean on them. */
export const COLLECTION_POOL: { title: string; season: Season }[] = [
  { title: "Summer Adventures", season: "summer" },
  { title: "Winter Warmth", season: "winter" },
  { title: "Everyday Essentials", season: "none" },
  { title: "Gift Guide", season: "none" },
  { title: "Eco Collection", season: "none" },
  { title: "New Arrivals", season: "none" },
  { title: "Spring Refresh", season: "summer" },
  { title: "Autumn Comfort", season: "winter" },
  { title: "Bestsellers", season: "none" },
  { title: "Limited Edition", season: "none" },
]

export const TAG_POOL = [
  "bestseller",
  "new",
  "eco",
  "handmade",
  "premium",
  "budget",
  "gift-idea",
  "vegan",
  "organic",
  "limited",
  "outdoor-ready",
  "compact",
  "recycled",
  "fair-trade",
  "staff-pick",
  "sale",
]

/** Series names that make product titles unique and brand-like. */
export const SERIES = [
  "Aalto", "Birch", "Cove", "Dune", "Ember", "Fjord", "Grove", "Harbor", "Isla", "Juniper",
  "Kestrel", "Lumen", "Meadow", "Nova", "Orla", "Pine", "Quill", "Rowan", "Sable", "Tundra",
  "Umber", "Vale", "Willow", "Yarrow", "Zephyr", "Alder", "Brook", "Cedar", "Delta", "Echo",
]

export const COLOURS = ["Black", "White", "Sand", "Sage", "Navy", "Terracotta", "Grey", "Olive", "Rust", "Blush"]

export const FIRST_NAMES = [
  "Emma", "Liam", "Olivia", "Noah", "Ava", "Lucas", "Mia", "Leon", "Sofia", "Elias",
  "Hannah", "Finn", "Lea", "Jonas", "Clara", "Paul", "Marie", "Felix", "Ella", "Max",
  "Nora", "Oskar", "Ida", "Emil", "Freya", "Luca", "Alma", "Theo", "Lina", "Milan",
  "Chloe", "Hugo", "Julia", "Mateo", "Elena", "Adam", "Zoe", "David", "Sara", "Jakob",
]

export const LAST_NAMES = [
  "Müller", "Schmidt", "Jansen", "Dubois", "Rossi", "García", "Nielsen", "Andersson", "Novak", "Kowalski",
  "Bernard", "Moreau", "Ricci", "López", "Hansen", "Larsen", "de Vries", "Bakker", "Fischer", "Weber",
  "Martin", "Silva", "Costa", "Horvat", "Varga", "Keller", "Lindqvist", "Virtanen", "Murphy", "O'Brien",
]
