#!/bin/sh
# Synthesises the spoken questions of the report form (SECURITY.md: none of this is secret).
#   intake-server/src/main/audio/make-audio.sh            # every language below
#   intake-server/src/main/audio/make-audio.sh es ht      # some
# Needs Debian's espeak-ng (1.51) and opus-tools (opusenc 0.2): apt-get install espeak-ng opus-tools
# Reads the page texts from i18n/messages*.properties and the clip list from
# assets/audio/clips.properties; writes assets/audio/<lang>/<clip>.ogg (mono Opus, 12 kbit/s,
# fixed Ogg serial, no timestamps: the same packages give the same bytes).
# Synthetic voices are understandable, not natural: an organisation can replace any file by a
# human recording with the same name (ops/runbooks/add-audio-language.md).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
res="$here/../resources"
out="$res/assets/audio"
langs=${*:-es en fr ht pt}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
voice_for() {
  case "$1" in
    es) echo es-419 ;;   # Latin American Spanish
    en) echo en-us ;;
    fr) echo fr-fr ;;
    ht) echo ht ;;       # espeak-ng's Haitian Creole voice
    pt) echo pt-br ;;
    *) echo "no espeak-ng voice configured for $1" >&2; exit 2 ;;
  esac
}
for lang in $langs; do
  if [ "$lang" = es ]; then props="$res/i18n/messages.properties"; else props="$res/i18n/messages_$lang.properties"; fi
  voice=$(voice_for "$lang")
  mkdir -p "$out/$lang"
  grep -v '^#' "$out/clips.properties" | grep '=' | while IFS='=' read -r clip keys; do
    python3 - "$props" $keys > "$tmp/text" <<'PY'
import sys
props, keys = sys.argv[1], sys.argv[2:]
entries = []
for line in open(props, encoding='utf-8'):
    line = line.rstrip('\n')
    if line and not line.startswith('#') and '=' in line:
        k, v = line.split('=', 1)
        entries.append((k.strip(), v.strip()))
said = []
for key in keys:
    for k, v in entries:
        if (key.endswith('.') and k.startswith(key)) or k == key:
            said.append(v.rstrip('.:?¿') + ('?' if v.endswith('?') else '.'))
print(' '.join(said))
PY
    espeak-ng -v "$voice" -s 150 -w "$tmp/$clip.wav" -f "$tmp/text"
    opusenc --quiet --bitrate 12 --downmix-mono --serial 1 --comp 10 \
      --discard-comments "$tmp/$clip.wav" "$out/$lang/$clip.ogg"
  done
done
du -ch "$out"/*/*.ogg | tail -1
