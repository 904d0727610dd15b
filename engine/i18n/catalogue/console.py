"""The catalogue: the console's lines about one workbook (English, Japanese). Lines said
before any workbook is read (usage, the batch's first line) stay English."""

ENTRIES: dict[str, tuple[str, str]] = {
    "cli.not_processed": (
        "not processed: {n} problem in the workbook",
        "処理しませんでした：ワークブックに{n}件の問題があります",
    ),
    "cli.not_processed_many": (
        "not processed: {n} problems in the workbook",
        "処理しませんでした：ワークブックに{n}件の問題があります",
    ),
    "cli.warning": ("warning: {warning}", "警告：{warning}"),
    "cli.writing": ("writing the results workbook", "結果ワークブックを書き出しています"),
    "cli.not_recorded": (
        "not recorded in the history (Record history = No)",
        "履歴に記録しません（履歴に記録 = いいえ）",
    ),
    "cli.done": ("done in {seconds} s → {path}", "完了（{seconds}秒）→ {path}"),
    "cli.step": ("{sheet}…", "{sheet}…"),
    "cli.mc_progress": ("Monte Carlo: {percent}", "モンテカルロ：{percent}"),
    "cli.finished": ("Finished: {n} done", "終了：{n}件完了"),
    "cli.finished_invalid": (
        ", {n} with problems to fix (no results written for them)",
        "、{n}件は要修正（結果は書き出していません）",
    ),
    "cli.finished_errors": (", {n} internal error", "、内部エラー{n}件"),
    "cli.finished_errors_many": (", {n} internal errors", "、内部エラー{n}件"),
    "cli.finished_where": (
        "{summary}. Results in {results}; log in {log}.",
        "{summary}。結果は {results}、ログは {log} にあります。",
    ),
    "cli.template_written": (
        "Wrote a blank template to {path}. Fill it in, save it in workbooks/, and run again.",
        "空のテンプレートを {path} に書き出しました。入力して workbooks/ に保存し、もう一度"
        "実行してください。",
    ),
    "cli.template_not_xlsx": (
        "run.py template: error: the template is an .xlsx file, not {suffix}",
        "run.py template: エラー：テンプレートは .xlsx ファイルです（{suffix} ではありません）",
    ),
    "cli.template_exists": (
        "run.py template: error: {path} already exists; choose another name (or add --force "
        "to overwrite it)",
        "run.py template: エラー：{path} はすでにあります。別の名前にしてください（上書きするには "
        "--force を付けます）",
    ),
    "cli.could_not_write": (
        "Could not write {path}: {error}",
        "{path} を書き出せませんでした：{error}",
    ),
}
