# gmg on any container platform: docker build -t gmg . && docker run -p 8501:8501 gmg
FROM python:3.11-slim
WORKDIR /app
COPY requirements.txt .
# requirements.txt pins torch==2.13.0; point pip at a CPU-only torch index to keep the image small.
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
EXPOSE 8501
HEALTHCHECK CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8501/_stcore/health')"
CMD ["streamlit", "run", "app.py", "--server.port=8501", "--server.address=0.0.0.0"]
