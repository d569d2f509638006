#include "tracking/tracking_service.h"

namespace ferry::tracking {

std::string GenerateRunName(Random& random) {
  static const char* const kAdjectives[] = {
      "abundant",    "agreeable",  "amazing",    "auspicious", "bedecked",    "blushing",
      "bold",        "brawny",     "bright",     "calm",       "capable",     "carefree",
      "caring",      "casual",     "clean",      "clever",     "colorful",    "crawling",
      "dapper",      "debonair",   "delicate",   "efficient",  "enchanting",  "fearless",
      "gentle",      "glamorous",  "gregarious", "honorable",  "illustrious", "indecisive",
      "judicious",   "kindly",     "languid",    "learned",    "loud",        "luminous",
      "magnificent", "marvelous",  "mercurial",  "merciful",   "nebulous",    "placid",
      "polite",      "powerful",   "resilient",  "righteous",  "rogue",       "salty",
      "secretive",   "sedate",     "serious",    "skillful",   "smiling",     "stately",
      "suave",       "sincere",    "thoughtful", "unequaled",  "upbeat",      "useful",
      "valuable",    "victorious", "vaunted",    "wise",       "worried",     "zealous"};
  static const char* const kNouns[] = {
      "ant",    "ape",     "asp",    "auk",   "bass",     "bat",   "bear",  "bee",   "bird",
      "boar",   "bug",     "calf",   "carp",  "cat",      "chimp", "cod",   "colt",  "conch",
      "cow",    "crab",    "crane",  "croc",  "crow",     "cub",   "deer",  "doe",   "dog",
      "dove",   "duck",    "eel",    "elk",   "fawn",     "finch", "fish",  "flea",  "fly",
      "foal",   "fowl",    "fox",    "frog",  "gnat",     "gnu",   "goat",  "goose", "grouse",
      "grub",   "gull",    "hare",   "hawk",  "hen",      "hog",   "horse", "hound", "jay",
      "kit",    "kite",    "koi",    "lamb",  "lark",     "loon",  "lynx",  "mare",  "midge",
      "mink",   "mole",    "moose",  "moth",  "mouse",    "mule",  "newt",  "owl",   "ox",
      "panda",  "penguin", "perch",  "pig",   "pug",      "quail", "ram",   "rat",   "ray",
      "robin",  "roo",     "rook",   "seal",  "shad",     "shark", "sheep", "shoat", "shrew",
      "shrike", "shrimp",  "skink",  "skunk", "sloth",    "slug",  "smelt", "snail", "snake",
      "snipe",  "sow",     "sponge", "squid", "squirrel", "stag",  "steed", "stoat", "stork",
      "swan",   "tern",    "toad",   "trout", "turtle",   "vole",  "wasp",  "whale", "wolf",
      "worm",   "wren",    "yak",    "zebra"};
  uint64_t r = random.Next64();
  const char* adj = kAdjectives[r % std::size(kAdjectives)];
  const char* noun = kNouns[(r >> 16) % std::size(kNouns)];
  return std::string(adj) + "-" + noun + "-" + std::to_string((r >> 32) % 1000);
}

}  // namespace ferry::tracking
