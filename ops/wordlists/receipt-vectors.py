# Independent implementation (not the Java code) of the testigo-receipt-v1 layout and checksum
# with list ids, to produce golden vectors for the Kreyol list and the numeric form.
import hashlib, json, os, unicodedata
R=os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)),'..','..'))
D=R+'/crypto/src/main/resources/org/testigo/crypto/receipt/'
def load(f): return [unicodedata.normalize('NFC', l.strip()) for l in open(D+f, encoding='utf-8') if l.strip()]
HT=load('kreyol-ht.txt'); FR=load('bip39-french.txt'); ES=load('bip39-spanish.txt')
def check(s, lid):
    h=hashlib.sha256(b'testigo-receipt-checksum-v1'+bytes([lid])+s).digest()
    return ((h[0]<<8)|h[1])>>5
def idx(s, lid):
    v=int.from_bytes(s,'big'); return [(v>>(66-11*i))&0x7ff for i in range(7)]+[check(s,lid)]
secrets=['00000000000000000000','1fffffffffffffffffff','0123456789abcdef0123','1a2b3c4d5e6f708192a3','0f0e0d0c0b0a09080706']
out=[]
for sh in secrets:
    s=bytes.fromhex(sh)
    out.append({'secret_hex':sh,
      'kreyol_words':' '.join(HT[i] for i in idx(s,1)),
      'digits':' '.join('%04d'%i for i in idx(s,0)),
      'spanish_words':' '.join(ES[i] for i in idx(s,0)),
      'kreyol_check_index':idx(s,1)[7],'bip39_check_index':idx(s,0)[7]})
doc={'description':"Golden receipts in the Kreyol list (list id 1: check word = first 11 bits of SHA-256('testigo-receipt-checksum-v1' || 0x01 || secret)) and in the numeric form (the BIP-39 indices, list id 0, as 8 groups of 4 digits). Computed by an independent Python script (hashlib, its own bit layout) from kreyol-ht.txt; the Java and JavaScript parsers must give these secrets and renderings. The first two secrets are those of receipts-v1.json (ES all-zero, EN all-ones), whose keys are recorded there: keys depend on the secret only.",
 'kreyol_list_sha256':hashlib.sha256(open(D+'kreyol-ht.txt','rb').read()).hexdigest(),
 'receipts':out}
open(R+'/crypto/src/test/resources/golden/receipts-v1-kreyol-numeric.json','w').write(json.dumps(doc,ensure_ascii=False,indent=2)+'\n')
print(json.dumps(out[:2],ensure_ascii=False,indent=1))
# usage: ops/wordlists/receipt-vectors.py (after make-kreyol-wordlist.py)
