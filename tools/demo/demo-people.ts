/**
 * Who the demo's users are and what their months looked like: deterministic (a seeded generator),
 * so two runs of the demo describe the same people. Money is whole minor units (bigint) until it
 * becomes the API's decimal string.
 */
export class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** mulberry32: small, fast and good enough for made-up data. */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }

  chance(p: number): boolean {
    return this.next() < p;
  }
}

const FIRST = [
  'Aarav',
  'Priya',
  'Rohan',
  'Ananya',
  'Vikram',
  'Isha',
  'Arjun',
  'Meera',
  'Kabir',
  'Sneha',
  'Rahul',
  'Diya',
  'Aditya',
  'Kavya',
  'Siddharth',
  'Neha',
  'Karan',
  'Pooja',
  'Nikhil',
  'Riya',
];
const LAST = ['Sharma', 'Iyer', 'Patel', 'Reddy', 'Nair', 'Gupta', 'Singh', 'Menon', 'Das', 'Kulkarni', 'Joshi', 'Bose', 'Rao', 'Mehta', 'Chopra'];

export interface DemoPerson {
  index: number;
  username: string;
  email: string;
  fullName: string;
  phone: string;
  password: string;
}

/** The seed's demo login is demo_user1; its password here is Demo@12345 (Tally asks for 10 characters with letters and digits). */
export const DEMO_PASSWORD = 'Demo@12345';
export const DEMO_PIN = '2580';

export function demoPeople(count: number): DemoPerson[] {
  return Array.from({ length: count }, (_, i) => {
    const r = new Random(1000 + i);
    const first = r.pick(FIRST);
    const last = r.pick(LAST);
    const index = i + 1;
    return {
      index,
      username: `demo_user${index}`,
      email: `${first}.${last}.${index}@example.com`.toLowerCase(),
      fullName: `${first} ${last}`,
      // Indian mobile numbers: ten digits starting 6 to 9 (the seed's 9876XXXXX0).
      phone: `${r.int(6, 9)}${String(r.int(0, 999_999_999)).padStart(9, '0')}`,
      password: DEMO_PASSWORD,
    };
  });
}

/** Merchants by category, with the range a purchase there usually costs (minor units of USD). */
export const MERCHANTS: Record<string, { names: string[]; min: number; max: number; weight: number }> = {
  food_beverage: { names: ['Chai Point', 'Cafe Coffee Day', 'Haldiram', 'Swiggy', 'Zomato', 'Barbeque Nation'], min: 300, max: 4500, weight: 35 },
  groceries: { names: ['BigBasket', 'DMart', 'Reliance Fresh', 'Nature’s Basket'], min: 1500, max: 9000, weight: 25 },
  transport: { names: ['Uber', 'Ola', 'Indian Oil', 'Metro Card'], min: 200, max: 3500, weight: 15 },
  shopping: { names: ['Amazon', 'Flipkart', 'Myntra', 'Croma'], min: 1500, max: 15000, weight: 10 },
  entertainment: { names: ['BookMyShow', 'Netflix', 'Spotify', 'PVR Cinemas'], min: 500, max: 3000, weight: 8 },
  health: { names: ['Apollo Pharmacy', '1mg', 'Cult.fit'], min: 800, max: 6000, weight: 4 },
  utilities: { names: ['Tata Power', 'Airtel', 'Jio Fiber'], min: 2000, max: 9000, weight: 3 },
};

export function pickCategory(r: Random): string {
  const total = Object.values(MERCHANTS).reduce((n, m) => n + m.weight, 0);
  let roll = r.next() * total;
  for (const [category, m] of Object.entries(MERCHANTS)) {
    roll -= m.weight;
    if (roll <= 0) return category;
  }
  return 'food_beverage';
}

/** Minor units as the API's decimal string for a two-digit currency. */
export function decimal(minor: bigint): string {
  const whole = minor / 100n;
  const cents = minor % 100n;
  return `${whole}.${cents.toString().padStart(2, '0')}`;
}
