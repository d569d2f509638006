# Writes train.csv (x1, x2, y with y = [x1 + x2 + noise > 0]) and ref.csv (x1, x2 from the
# same distribution) into the current directory.
import random

rnd = random.Random(1)


def rows(n):
    for _ in range(n):
        a, b = rnd.gauss(0, 1), rnd.gauss(0, 1)
        yield a, b, 1 if a + b + rnd.gauss(0, 0.3) > 0 else 0


with open("train.csv", "w") as f:
    f.write("x1,x2,y\n")
    for a, b, y in rows(3000):
        f.write(f"{a:.6f},{b:.6f},{y}\n")
with open("ref.csv", "w") as f:
    f.write("x1,x2\n")
    for a, b, _ in rows(3000):
        f.write(f"{a:.6f},{b:.6f}\n")
