@echo off
rem Windows launcher: double-click to process every workbook in workbooks\.
rem Runs run.py from this folder (it sets itself up on first use), then waits for a key.
cd /d "%~dp0"
where py >nul 2>nul
if %errorlevel%==0 (
    py -3 run.py %*
) else (
    python run.py %*
)
set ALM_EXIT=%errorlevel%
if not defined CI pause
exit /b %ALM_EXIT%
