# bash completion for levit, the LeViT Lens engine on the command line (installed as
# share/bash-completion/completions/levit). The sub-commands and options are those of `levit --help`;
# tests/app/test_install_tree.cpp checks that every one printed there is offered here.

_levit_options_for() {
    local common="--model --revision"
    case "$1" in
        classify)   echo "$common --top-k --threads --json --pixel-values" ;;
        preprocess) echo "$common --out" ;;
        inspect)    echo "$common --json" ;;
        bench)      echo "$common --variant --batch --threads --warmup --runs --bf16 --train --layers --json" ;;
        eval)       echo "$common --fashion-mnist --data --data-dir --limit --batch --threads --json" ;;
        train)      echo "$common --data --val --val-split --out --train --epochs --batch --lr --teacher --seed --threads --json
                          --optimizer --weight-decay --label-smoothing --warmup-epochs --min-crop --jitter --no-crop --flip --no-augment" ;;
        grad)       echo "$common --pixel-values --labels --distillation-labels --out" ;;
        explain)    echo "$common --method --head --class --stage --steps --baseline --raw --threads --pixel-values --out --json" ;;
    esac
}

_levit() {
    local cur prev command
    COMPREPLY=()
    cur=${COMP_WORDS[COMP_CWORD]}
    prev=${COMP_WORDS[COMP_CWORD-1]}
    local commands="classify preprocess inspect bench eval train grad explain"

    if [[ $COMP_CWORD -eq 1 ]]; then
        COMPREPLY=($(compgen -W "$commands --help --version" -- "$cur"))
        return
    fi
    command=${COMP_WORDS[1]}

    # Values with a fixed set of choices, then values that are files or folders.
    case "$prev" in
        --variant)   COMPREPLY=($(compgen -W "128S 128 192 256 384" -- "$cur")); return ;;
        --train)     [[ $command == train ]] && { COMPREPLY=($(compgen -W "head last-stage all" -- "$cur")); return; } ;;
        --optimizer) COMPREPLY=($(compgen -W "adamw sgd" -- "$cur")); return ;;
        --method)    COMPREPLY=($(compgen -W "token gradcam gradient gradient-x-input integrated-gradients occlusion rollout" -- "$cur")); return ;;
        --head)      COMPREPLY=($(compgen -W "cls distillation mean" -- "$cur")); return ;;
        --baseline)  COMPREPLY=($(compgen -W "black blurred" -- "$cur")); return ;;
        --out|--data|--val|--data-dir) COMPREPLY=($(compgen -d -- "$cur")); return ;;
        --pixel-values|--labels|--distillation-labels) COMPREPLY=($(compgen -f -X '!*.npy' -- "$cur")); return ;;
        --model|--teacher) COMPREPLY=($(compgen -f -- "$cur")); return ;;
        --top-k|--threads|--batch|--warmup|--runs|--limit|--epochs|--lr|--seed|--val-split|--weight-decay|\
        --label-smoothing|--warmup-epochs|--min-crop|--jitter|--class|--stage|--steps|--revision) return ;;
    esac

    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "$(_levit_options_for "$command")" -- "$cur"))
    else
        COMPREPLY=($(compgen -f -- "$cur"))
    fi
}

complete -o filenames -F _levit levit
