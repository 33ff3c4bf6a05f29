# SPDX-License-Identifier: GPL-2.0-or-later
# bash completion for hvbench: the words come from hvbench itself
# (hvbench help --complete WHAT), so new commands and plug-ins need no edit here.
_hvbench()
{
	local cur prev cmd i db=
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=${COMP_WORDS[COMP_CWORD-1]}
	local hv=${COMP_WORDS[0]}
	for ((i = 1; i < COMP_CWORD; i++)); do
		case ${COMP_WORDS[i]} in
		-*) ;;
		*) cmd=${COMP_WORDS[i]}; break ;;
		esac
	done
	for ((i = 1; i < COMP_CWORD; i++)); do
		[[ ${COMP_WORDS[i]} == --db ]] && db=${COMP_WORDS[i+1]}
	done
	local IFS=$'\n'
	if [[ -z $cmd ]]; then
		if [[ $cur == -* ]]; then
			COMPREPLY=($(compgen -W $'--help\n--version\n-v\n--debug\n-q\n--quiet' -- "$cur"))
		else
			COMPREPLY=($(compgen -W "$("$hv" help --complete commands 2>/dev/null)" -- "$cur"))
		fi
		return
	fi
	case $prev in
	--db | --output | --junit | --markdown | --plot | --agent | --kernel | --modules | --out | --cache | \
	--experiment | --workdir)
		COMPREPLY=($(compgen -f -- "$cur"))
		return ;;
	--baseline | --candidate)
		COMPREPLY=($(compgen -W "$("$hv" help --complete runs $db 2>/dev/null)" -- "$cur"))
		return ;;
	--format)
		COMPREPLY=($(compgen -W $'text\nmd\nhtml\njson' -- "$cur"))
		return ;;
	esac
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$("$hv" help --complete options "$cmd" 2>/dev/null)" -- "$cur"))
		return
	fi
	case $cmd in
	help)
		COMPREPLY=($(compgen -W "$("$hv" help --complete commands 2>/dev/null; "$hv" help --complete workloads 2>/dev/null
			"$hv" help --complete probes 2>/dev/null)"$'\nworkloads\nprobes\nbackends\nexperiment\nenvironment' -- "$cur")) ;;
	show | report | compare | export)
		COMPREPLY=($(compgen -W "$("$hv" help --complete runs $db 2>/dev/null)" -- "$cur")) ;;
	bench)
		COMPREPLY=($(compgen -W "$("$hv" help --complete workloads 2>/dev/null)" -- "$cur")) ;;
	*)
		COMPREPLY=($(compgen -f -- "$cur")) ;;
	esac
}
complete -F _hvbench hvbench
