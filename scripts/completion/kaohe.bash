# bash completion for kaohe — installed as share/bash-completion/completions/kaohe.
# The words come from kaohe itself (`kaohe help --complete [CMD]`, made from the same options
# table as `kaohe CMD --help`), so completion cannot offer an option the binary does not know.
# After an option that takes a value, and for operands, files are offered: scorecards (*.lua)
# for run and check, databases (*.db) for PART.db, workbooks (*.xlsx), CSV (*.csv).

_kaohe_files() { # glob pattern, or "" for any file
  local IFS=$'\n'
  if [[ -n $1 ]]; then
    COMPREPLY=($(compgen -f -X "!$1" -- "$cur") $(compgen -d -- "$cur"))
  else
    COMPREPLY=($(compgen -f -- "$cur"))
  fi
  compopt -o filenames 2>/dev/null
}

# The file pattern for a value or operand named like "DB", "FILE.xlsx", "SCORECARD...".
_kaohe_pattern() {
  case $1 in
    *SCORECARD*) echo '*.lua' ;;
    *.db* | DB) echo '*.db' ;;
    *.xlsx*) echo '*.xlsx' ;;
    *.csv*) echo '*.csv' ;;
    *.tsv*) echo '*.tsv' ;;
    *) echo '' ;;
  esac
}

_kaohe() {
  local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]}
  local kaohe=${COMP_WORDS[0]}
  COMPREPLY=()
  if ((COMP_CWORD == 1)); then
    COMPREPLY=($(compgen -W "$("$kaohe" help --complete 2>/dev/null) --help --version" -- "$cur"))
    return
  fi
  local cmd=${COMP_WORDS[1]} line word arg words="" operand=""
  if [[ $cmd == help ]]; then
    COMPREPLY=($(compgen -W "$("$kaohe" help --complete 2>/dev/null)" -- "$cur"))
    return
  fi
  while read -r word arg; do
    [[ -z $word ]] && continue
    if [[ $word != -* ]]; then
      operand=$word
      continue
    fi
    words+=" $word"
    if [[ $prev == "$word" && -n $arg ]]; then
      case $arg in
        DB\|DIR) _kaohe_files '*.db' ;;
        *DIR*) COMPREPLY=($(compgen -d -- "$cur")) ;;
        *\|*) COMPREPLY=($(compgen -W "${arg//|/ }" -- "$cur")) ;;
        DB | FILE* | *.db | *.xlsx | *.csv | *.tsv) _kaohe_files "$(_kaohe_pattern "$arg")" ;;
        *) ;; # a number, a date, NAME=VALUE: nothing to offer
      esac
      return
    fi
  done < <("$kaohe" help --complete "$cmd" 2>/dev/null)
  if [[ $cur == -* || -z $operand ]]; then
    COMPREPLY=($(compgen -W "$words" -- "$cur"))
  elif [[ $operand != RUN* ]]; then # run numbers: nothing to offer
    _kaohe_files "$(_kaohe_pattern "$operand")"
  fi
}
complete -F _kaohe kaohe
