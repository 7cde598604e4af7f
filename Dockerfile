# gmg on any container platform: docker build -t gmg . && docker run -p 8501:8501 gmg
# The same steps as CI's served venv (.ci/run): requirements.txt alone, so no torch. Untested here: no Docker engine.
FROM python:3.11-slim
RUN useradd --create-home --uid 10001 gmg
WORKDIR /app
COPY requirements.txt .
RUN python3 -m venv /opt/venv && /opt/venv/bin/pip install --no-cache-dir -r requirements.txt
COPY --chown=gmg:gmg app.py ./
COPY --chown=gmg:gmg .streamlit .streamlit
COPY --chown=gmg:gmg pages pages
COPY --chown=gmg:gmg gmg gmg
COPY --chown=gmg:gmg assets assets
USER gmg
EXPOSE 8501
HEALTHCHECK --interval=30s --timeout=5s CMD /opt/venv/bin/python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8501/_stcore/health', timeout=4)"
CMD ["/opt/venv/bin/streamlit", "run", "app.py", "--server.port=8501", "--server.address=0.0.0.0"]
