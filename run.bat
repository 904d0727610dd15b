@echo off
rem Windows launcher: double-click to process every workbook in workbooks\.
rem Runs run.py from this folder (it sets itself up on first use), then waits for a key.
cd /d "%~dp0"
where py >nul 2>nul
if %errorlevel%==0 (
    py -3 run.py %*
) else (
    where python >nul 2>nul
    if errorlevel 1 (
        echo Python 3.10 or newer is needed: install it from https://www.python.org/downloads/
        echo and tick "Add python.exe to PATH", then double-click run.bat again.
        set ALM_EXIT=2
        goto done
    )
    python run.py %*
)
set ALM_EXIT=%errorlevel%
:done
if not defined CI pause
exit /b %ALM_EXIT%
