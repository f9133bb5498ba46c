"""Independent big-integer replica of the emission schedule (pallets/emission/src/schedule.rs)
against an 80-digit decimal reference of R0 * exp(-k e). Run: python3 schedule_reference.py
Prints q, the exhaustion epoch, its reward, whether the total equals the allocation, the maximum
absolute error in base units (and where), and the rewards at epochs 0, 1, 1460, 10000."""
from decimal import Decimal, getcontext
getcontext().prec = 80
S = 10**30
def mul_div(a,b,c): return a*b//c
kp = 475_000_000_000_000
k = kp * (S // 10**18)
pos, neg, term = S, 0, S
for i in range(1,65):
    term = mul_div(term, k, S*i)
    if term == 0: break
    if i % 2: neg += term
    else: pos += term
q = pos - neg
def pw(q, n):
    r, b = S, q
    while n:
        if n & 1:
            r = r*b//S
            if r == 0: break
        n >>= 1
        if n: b = b*b//S
    return r
R0 = 323_000 * 10**9; A = 680_000_000 * 10**9
def C(n):
    if n == 0: return 0
    return min(A, R0*(S - pw(q,n))//(S-q))
qe = Decimal(-kp)/Decimal(10**18)
maxerr = Decimal(0); tot = 0; e = 0; prev = 0
while True:
    c1 = C(e+1); r = c1 - C(e); tot += r
    if c1 >= A: break
    ex = Decimal(R0) * (qe*e).exp()
    err = abs(Decimal(r) - ex)
    if err > maxerr: maxerr, arg = err, e
    e += 1
print("q", q, "exhaust", e, "last", r, "tot", tot == A, "maxerr", maxerr, "at", arg)
for x in [0,1,1460,10000]:
    print(x, C(x+1)-C(x), Decimal(R0)*(qe*x).exp())
print("uncapped inf", Decimal(R0)*S/(S-q)/10**9)
